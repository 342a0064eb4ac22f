using IotActors.Bench.Measurement;
using IotActors.Bench.Reporting;

namespace IotActors.Bench.Tests;

/// <summary>
/// Repeated cells (<c>--repeat</c>): each repetition is a ratio to its own ceiling, and the targets are judged on each
/// cell's median, so one repetition whose machine load changed between the ceiling and the scenario decides nothing.
/// </summary>
public sealed class RepetitionTests
{
    private static readonly BenchCell Cell = BenchSettings.BaseCell;

    [Fact]
    public void Ratios_are_to_the_ceiling_of_the_same_repetition()
    {
        var results = ReportWriter.WithRatios(
        [
            Run(ScenarioNames.Ceiling, 1, 40_000),
            Run(ScenarioNames.IotActorsMemory, 1, 36_000),
            Run(ScenarioNames.IotActorsMemory, 2, 35_000),
            Run(ScenarioNames.Ceiling, 2, 50_000),
        ]);

        Assert.Equal(0.9, results[1].ThroughputVsCeiling!.Value, 6);
        Assert.Equal(0.7, results[2].ThroughputVsCeiling!.Value, 6);
        Assert.Equal(1.0, results[3].ThroughputVsCeiling!.Value, 6);
    }

    [Fact]
    public void A_repetition_whose_ceiling_failed_has_no_ratio_and_leaves_the_median_to_the_others()
    {
        var results = ReportWriter.WithRatios(
        [
            Run(ScenarioNames.Ceiling, 1, 40_000),
            Run(ScenarioNames.IotActorsMemory, 1, 36_000),
            Run(ScenarioNames.Ceiling, 2, 0) with { Error = "TimeoutException: no receivers" },
            Run(ScenarioNames.IotActorsMemory, 2, 10_000),
        ]);

        Assert.Null(results[3].ThroughputVsCeiling);
        var memory = Assert.Single(CellSummary.Of(results), s => s.Scenario == ScenarioNames.IotActorsMemory);
        Assert.Equal(2, memory.Repetitions);
        Assert.Equal(new Spread(0.9, 0.9, 0.9), memory.ThroughputVsCeiling);
    }

    [Fact]
    public void A_spread_is_the_middle_value_or_the_mean_of_the_middle_two()
    {
        Assert.Equal(new Spread(0.85, 0.7, 0.9), Spread.Of([0.9, 0.7, 0.85]));
        Assert.Equal(new Spread(2.5, 1, 4), Spread.Of([4, 1, 3, 2]));
        Assert.Equal(new Spread(7, 7, 7), Spread.Of([7]));
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }

    [Fact]
    public void Targets_are_judged_on_each_cells_median_not_on_its_worst_repetition()
    {
        var results = ReportWriter.WithRatios(
        [
            Run(ScenarioNames.Ceiling, 1, 40_000), Run(ScenarioNames.IotActorsMemory, 1, 36_000, pacedP99: 12),
            Run(ScenarioNames.IotActorsMemory, 2, 28_000, pacedP99: 80), Run(ScenarioNames.Ceiling, 2, 40_000),
            Run(ScenarioNames.Ceiling, 3, 40_000), Run(ScenarioNames.IotActorsMemory, 3, 34_000, pacedP99: 20),
        ]);
        var repeated = Report(results, repetitions: 3);
        var secondAlone = Report(ReportWriter.WithRatios(results.Where(r => r.Repetition == 2).ToList()), repetitions: 1);

        var ratio = Targets.Judge(repeated).Single(t => t.Target.StartsWith(ScenarioNames.IotActorsMemory));
        var latency = Targets.Judge(repeated).Single(t => t.Target.StartsWith("p99"));
        Assert.Equal(Targets.Met, ratio.Verdict);
        Assert.Contains("medians of 3 repetitions", ratio.Evidence);
        Assert.Contains("0.85 [0.70–0.90]", ratio.Evidence);
        Assert.Equal(Targets.Met, latency.Verdict);
        Assert.Contains("20.00 [12.00–80.00] ms", latency.Evidence);

        // The same cell judged on its second repetition alone misses both.
        Assert.Equal(Targets.Missed, Targets.Judge(secondAlone).Single(t => t.Target.StartsWith(ScenarioNames.IotActorsMemory)).Verdict);
        Assert.Equal(Targets.Missed, Targets.Judge(secondAlone).Single(t => t.Target.StartsWith("p99")).Verdict);
        Assert.DoesNotContain("medians", Targets.Judge(secondAlone).Single(t => t.Target.StartsWith("p99")).Evidence);
    }

    [Fact]
    public void Every_other_repetition_runs_the_scenarios_in_reverse_order()
    {
        string[] scenarios = [ScenarioNames.Ceiling, ScenarioNames.IotActorsMemory, ScenarioNames.IotActorsDurable];

        Assert.Equal(scenarios, BenchRunner.ScenarioOrder(scenarios, 1));
        Assert.Equal(scenarios.Reverse(), BenchRunner.ScenarioOrder(scenarios, 2));
        Assert.Equal(scenarios, BenchRunner.ScenarioOrder(scenarios, 3));
    }

    [Fact]
    public void The_medians_table_is_printed_only_for_repeated_cells()
    {
        var results = ReportWriter.WithRatios([Run(ScenarioNames.Ceiling, 1, 40_000), Run(ScenarioNames.IotActorsMemory, 1, 36_000),
                                               Run(ScenarioNames.IotActorsMemory, 2, 32_000), Run(ScenarioNames.Ceiling, 2, 40_000)]);
        var repeated = new StringWriter();
        var single = new StringWriter();

        ReportWriter.WriteTables(Report(results, repetitions: 2), repeated);
        ReportWriter.WriteTables(Report(results.Take(2).ToList(), repetitions: 1), single);

        Assert.Contains("### Medians over 2 repetitions per cell", repeated.ToString());
        Assert.Contains($"| {Cell} | iotactors-memory | 2 | 34000 [32000–36000] | 0.85 [0.80–0.90] |", repeated.ToString());
        Assert.Contains("repetition 2", repeated.ToString());
        Assert.DoesNotContain("### Medians", single.ToString());
        Assert.DoesNotContain("repetition 1", single.ToString());
    }

    private static ScenarioResult Run(string scenario, int repetition, double rate, double? pacedP99 = null) => new()
    {
        Scenario = scenario,
        Cell = Cell,
        Repetition = repetition,
        Connections = 1,
        MessagesPerSecond = rate,
        AllocatedBytesPerMessage = 8_000,
        Paced = pacedP99 is { } p ? new LatencySummary(1_000, 1, p, p + 5, 0) : null,
    };

    private static BenchReport Report(List<ScenarioResult> results, int repetitions) => new()
    {
        Machine = new MachineInfo(2, "test", "test", true, false, "now"),
        CommandLine = "test",
        Topology = "cluster",
        LatencyLoad = 0.8,
        Repetitions = repetitions,
        Results = results,
        Summaries = CellSummary.Of(results),
    };
}
