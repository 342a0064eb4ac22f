using IotActors.Bench.Traffic;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotActors.Bench.Tests;

/// <summary>The producer against the bench's real emulator (no consumer: what it publishes stays queued).</summary>
public sealed class TrafficProducerTests
{
    [Fact]
    public async Task Priming_publishes_one_message_per_device_of_the_cell_and_then_ends_by_itself()
    {
        await using var emulator = await BenchEmulator.StartAsync(NullLoggerFactory.Instance);
        var cell = new BenchCell(1, 300, 100, 200);
        await using var producer = new TrafficProducer(emulator.Emulator, BenchEmulator.Group, new MessageFactory(), cell, BodyShape.For(200));

        // A deadline far beyond the wait: the loop must end because every device has its message, not at the deadline.
        producer.Prime(backlog: 1_000, deadline: TimeSpan.FromMinutes(10));
        await producer.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(300, producer.Published);
        Assert.Equal(300, emulator.Stats().Published);
    }
}
