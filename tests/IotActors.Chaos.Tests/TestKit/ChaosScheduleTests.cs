using IotActors.TestKit.Chaos;

namespace IotActors.Chaos.Tests.TestKit;

public sealed class ChaosScheduleTests
{
    private static async Task<(ChaosReport Report, List<string> Log, int Heals)> RunAsync(int seed, int maxFaults)
    {
        var log = new List<string>();
        var heals = 0;
        var schedule = new ChaosSchedule(log.Add, seed)
            .HoldFor(TimeSpan.Zero, TimeSpan.FromMilliseconds(1))
            .PauseFor(TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        foreach (var kind in new[] { "alpha", "beta", "gamma" })
        {
            schedule.Add(new ChaosFault(kind, r => Task.FromResult($"pick {r.Next(100)}"), () => { heals++; return Task.CompletedTask; }));
        }
        var report = await schedule.RunAsync(maxFaults, TimeSpan.FromSeconds(30));
        return (report, log, heals);
    }

    [Fact]
    public async Task The_same_seed_replays_the_same_faults_with_the_same_choices()
    {
        var first = await RunAsync(seed: 1234, maxFaults: 12);
        var second = await RunAsync(seed: 1234, maxFaults: 12);
        var other = await RunAsync(seed: 4321, maxFaults: 12);

        Assert.Equal(first.Report.Events.Select(e => (e.Kind, e.Detail)), second.Report.Events.Select(e => (e.Kind, e.Detail)));
        Assert.NotEqual(first.Report.Events.Select(e => (e.Kind, e.Detail)), other.Report.Events.Select(e => (e.Kind, e.Detail)));
        Assert.StartsWith("chaos seed 1234", first.Log[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_are_bounded_by_the_fault_count_and_every_fault_is_healed()
    {
        var (report, _, heals) = await RunAsync(seed: 7, maxFaults: 5);
        Assert.Equal(5, report.Events.Count);
        Assert.Equal(5, heals);
        Assert.Equal(5, report.ByKind.Values.Sum());
    }

    [Fact]
    public async Task Runs_are_bounded_by_time()
    {
        var schedule = new ChaosSchedule(_ => { }, seed: 3)
            .HoldFor(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50))
            .PauseFor(TimeSpan.Zero, TimeSpan.Zero)
            .Add(new ChaosFault("slow", _ => Task.FromResult("")));
        var report = await schedule.RunAsync(maxFaults: 1_000_000, maxDuration: TimeSpan.FromMilliseconds(300));
        Assert.InRange(report.Events.Count, 1, 1000);
        Assert.True(report.Events.Count < 1_000_000);
    }

    [Fact]
    public void An_explicit_seed_wins_over_the_environment()
    {
        Assert.Equal(99, ChaosSeed.Resolve(99));
    }

    [Fact]
    public async Task A_toggle_is_switched_on_when_injected_and_off_when_healed()
    {
        var on = false;
        var seen = new List<bool>();
        var schedule = new ChaosSchedule(_ => { }, seed: 1)
            .HoldFor(TimeSpan.Zero, TimeSpan.Zero)
            .PauseFor(TimeSpan.Zero, TimeSpan.Zero)
            .Add(ChaosFault.Toggle("switch", () => { on = true; seen.Add(on); }, () => { on = false; seen.Add(on); }));
        await schedule.RunAsync(maxFaults: 3, maxDuration: TimeSpan.FromSeconds(10));
        Assert.Equal([true, false, true, false, true, false], seen);
        Assert.False(on);
    }
}
