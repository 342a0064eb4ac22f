using IotActors.Bench.Measurement;
using IotActors.Bench.Reporting;

namespace IotActors.Bench.Tests;

/// <summary>
/// Every target names Akka's floor of the same run when the run measured it: the idle-memory targets an empty
/// persistent sharded actor (and say when the target lies below it — then no design with one persistent actor per
/// device can meet it, whatever the device holds); the throughput targets how far <c>akka-floor</c> /
/// <c>akka-persist-floor</c> got in the same cells and what share of it the pipeline reached; the latency target which
/// missed windows their floor missed too.
/// </summary>
public sealed class FloorTargetTests
{
    private const string PerDevice = "<= 1 KiB managed memory per idle resident device actor";
    private const string Million = "1M devices on one node within 2 GiB";
    private const string Impossible = "no persistent actor per device can meet it";

    [Fact]
    public void A_floor_above_the_target_is_named_as_what_no_persistent_actor_per_device_can_meet()
    {
        var target = Judge(Report(twin: 2_850, floors: [Floor(20_000, empty: 1_050, persistent: 2_440), Floor(100_000, empty: 1_070, persistent: 2_460)]), PerDevice);

        Assert.Equal(Targets.Missed, target.Verdict);
        // The least of the floors measured: the most favourable reading of what Akka needs.
        Assert.Contains("Akka's floor in this run: 2440 B per empty persistent sharded actor, 1050 B per empty sharded actor", target.Evidence);
        Assert.Contains(Impossible, target.Evidence);
    }

    [Fact]
    public void A_floor_below_the_target_is_reported_without_that_claim()
    {
        var target = Judge(Report(twin: 1_500, floors: [Floor(20_000, empty: 400, persistent: 900)]), PerDevice);

        Assert.Equal(Targets.Missed, target.Verdict);
        Assert.Contains("900 B per empty persistent sharded actor", target.Evidence);
        Assert.DoesNotContain(Impossible, target.Evidence);
    }

    [Fact]
    public void A_failed_floor_or_none_adds_nothing()
    {
        var failed = Judge(Report(twin: 2_850, floors: [Floor(20_000, 1_050, 2_440) with { Error = "timed out" }]), PerDevice);
        var none = Judge(Report(twin: 2_850, floors: []), PerDevice);

        Assert.DoesNotContain("Akka's floor", failed.Evidence);
        Assert.DoesNotContain("Akka's floor", none.Evidence);
    }

    [Fact]
    public void The_million_device_target_is_held_against_2_GiB_per_million_devices()
    {
        // 2 GiB / 1M devices = 2,147 B: a floor of 2,440 B is above it, one of 2,000 B is not.
        var above = Judge(Report(twin: 2_850, floors: [Floor(1_000_000, 1_050, 2_440)], devices: 1_000_000), Million);
        var below = Judge(Report(twin: 2_850, floors: [Floor(1_000_000, 1_050, 2_000)], devices: 1_000_000), Million);

        Assert.Contains(Impossible, above.Evidence);
        Assert.Contains("2000 B per empty persistent sharded actor", below.Evidence);
        Assert.DoesNotContain(Impossible, below.Evidence);
    }

    [Fact]
    public void A_throughput_target_names_the_floor_of_the_same_cells_and_the_pipelines_share_of_it()
    {
        var other = BenchSettings.BaseCell with { Connections = 8 };
        var results = ReportWriter.WithRatios(
        [
            Run(BenchSettings.BaseCell, ScenarioNames.Ceiling, 50_000), Run(BenchSettings.BaseCell, ScenarioNames.AkkaPersistFloor, 25_000),
            Run(BenchSettings.BaseCell, ScenarioNames.IotActorsDurable, 15_000),
            Run(other, ScenarioNames.Ceiling, 60_000), Run(other, ScenarioNames.AkkaPersistFloor, 18_000),
            Run(other, ScenarioNames.IotActorsDurable, 12_000),
        ]);
        var report = Report(twin: 2_850, floors: []) with { Results = results, Summaries = CellSummary.Of(results) };

        var durable = Assert.Single(Targets.Judge(report), t => t.Target.StartsWith(ScenarioNames.IotActorsDurable));
        var memory = Assert.Single(Targets.Judge(report), t => t.Target.StartsWith(ScenarioNames.IotActorsMemory));

        // Floors 0.50 and 0.30 x ceiling; the pipeline 0.30 / 0.50 = 0.60 and 0.20 / 0.30 = 0.67 of them.
        Assert.Contains("Akka's floor (akka-persist-floor) reaches it in 1 of 2 cells (0.30–0.50 x ceiling), and the pipeline reaches 0.60–0.67 of its floor", durable.Evidence);
        Assert.DoesNotContain("floor", memory.Evidence);
    }

    [Fact]
    public void The_latency_target_says_which_missed_windows_their_floor_missed_too()
    {
        var other = BenchSettings.BaseCell with { Connections = 64 };
        var results = ReportWriter.WithRatios(
        [
            Run(BenchSettings.BaseCell, ScenarioNames.Ceiling, 50_000, pacedP99: 0.1),
            Run(BenchSettings.BaseCell, ScenarioNames.AkkaPersistFloor, 25_000, pacedP99: 20),
            Run(BenchSettings.BaseCell, ScenarioNames.IotActorsDurable, 15_000, pacedP99: 60),
            Run(other, ScenarioNames.Ceiling, 50_000, pacedP99: 0.1),
            Run(other, ScenarioNames.AkkaPersistFloor, 25_000, pacedP99: 88),
            Run(other, ScenarioNames.IotActorsDurable, 15_000, pacedP99: 120),
            Run(other, ScenarioNames.AkkaFloor, 45_000, pacedP99: 20),
            Run(other, ScenarioNames.IotActorsMemory, 40_000, pacedP99: 30),
        ]);
        var report = Report(twin: 2_850, floors: []) with { Results = results, Summaries = CellSummary.Of(results) };

        var latency = Assert.Single(Targets.Judge(report), t => t.Target.StartsWith("p99"));

        Assert.Equal(Targets.Missed, latency.Verdict);
        Assert.Contains($"of the 2 missed, Akka's floor in the same cell misses too in 1 (akka-persist-floor 88.0 ms, {other})", latency.Evidence);
    }

    private static ScenarioResult Run(BenchCell cell, string scenario, double rate, double? pacedP99 = null) => new()
    {
        Scenario = scenario,
        Cell = cell,
        Repetition = 1,
        Connections = cell.Connections,
        MessagesPerSecond = rate,
        Paced = pacedP99 is { } p ? new LatencySummary(1_000, 1, p, p + 5, 0) : null,
    };

    private static TargetCheck Judge(BenchReport report, string target) => Assert.Single(Targets.Judge(report), t => t.Target == target);

    private static FloorResult Floor(int actors, double empty, double persistent) =>
        new() { Actors = actors, EmptyActorBytes = empty, PersistentActorBytes = persistent };

    private static BenchReport Report(double twin, List<FloorResult> floors, int devices = 20_000) => new()
    {
        Machine = new MachineInfo(2, "linux", ".NET", true, true, "now"),
        CommandLine = "test",
        Topology = "cluster",
        Memory = [new MemoryResult { Devices = devices, Topology = "cluster", BytesPerDevice = twin, WorkingSetBytes = (long)(twin * devices), DevicesAliveAtMeasure = devices }],
        Floors = floors,
    };
}
