using System.Diagnostics;
using IotActors.Emulator.Simulation;

namespace IotActors.Emulator.Tests.Simulation;

public sealed class TrafficPumpTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(null)]
    [InlineData(5000.0)]
    public async Task Pump_publishes_exactly_the_count_then_completes_by_itself(double? rate)
    {
        var published = new List<EmulatedMessage>();
        var pump = new TrafficPump(new DeviceSimulator(new SimulatorOptions()), rate);

        var count = await pump.RunAsync(published.Add, 300).WaitAsync(Bound);

        Assert.Equal(300, count);
        Assert.Equal(300, published.Count);
        var expected = new DeviceSimulator(new SimulatorOptions()).Generate(300).Select(m => m.MessageId);
        Assert.Equal(expected, published.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Paced_pump_never_publishes_faster_than_its_rate()
    {
        const double rate = 200;
        const int count = 60;
        var pump = new TrafficPump(new DeviceSimulator(new SimulatorOptions()), rate);
        var published = 0;

        var clock = Stopwatch.StartNew();
        await pump.RunAsync(_ => published++, count).WaitAsync(Bound);
        clock.Stop();

        // A token bucket that starts with one token publishes at most 1 + rate × elapsed.
        Assert.Equal(count, published);
        Assert.True(clock.Elapsed.TotalSeconds >= (count - 1) / rate, $"{count} messages at {rate}/s took only {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Rate_from_the_options_is_used_when_none_is_given()
    {
        var pump = new TrafficPump(new DeviceSimulator(new SimulatorOptions { RatePerSecond = 123 }));

        Assert.Equal(123, pump.RatePerSecond);
        Assert.Equal(5, await pump.RunAsync(_ => { }, 5).WaitAsync(Bound));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1000.0)]
    public async Task Cancelling_stops_the_pump_before_the_next_message(double? rate)
    {
        using var cancel = new CancellationTokenSource();
        var published = 0;
        var pump = new TrafficPump(new DeviceSimulator(new SimulatorOptions()), rate);

        var run = pump.RunAsync(
            _ =>
            {
                if (++published == 10)
                {
                    cancel.Cancel();
                }
            },
            1_000_000,
            cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bound));
        Assert.Equal(10, published);
    }

    [Fact]
    public async Task Timed_run_stops_by_itself_after_its_duration_within_the_rate()
    {
        const double rate = 500;
        var pump = new TrafficPump(new DeviceSimulator(new SimulatorOptions()), rate);
        var published = 0;

        var clock = Stopwatch.StartNew();
        var count = await pump.RunForAsync(_ => published++, TimeSpan.FromMilliseconds(200)).WaitAsync(Bound);
        clock.Stop();

        Assert.Equal(published, count);
        Assert.True(count > 0);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"stopped after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.True(count <= 1 + (rate * clock.Elapsed.TotalSeconds), $"{count} messages in {clock.Elapsed.TotalMilliseconds} ms at {rate}/s");
    }

    [Fact]
    public async Task Timed_run_also_stops_at_its_maximum_count()
    {
        var pump = new TrafficPump(new DeviceSimulator(new SimulatorOptions()));

        var count = await pump.RunForAsync(_ => { }, TimeSpan.FromMinutes(10), maxCount: 50).WaitAsync(Bound);

        Assert.Equal(50, count);
    }

    [Fact]
    public async Task A_failing_publisher_stops_the_pump_with_its_exception()
    {
        var pump = new TrafficPump(new DeviceSimulator(new SimulatorOptions()), 1000);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => pump.RunAsync(_ => throw new InvalidOperationException("emulator stopped"), 10).WaitAsync(Bound));
        Assert.Equal("emulator stopped", error.Message);
    }
}
