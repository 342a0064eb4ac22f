using System.Globalization;

namespace IotActors.Bench.Reporting;

/// <summary>
/// The targets, judged on what this run measured. Reported, never asserted: absolute numbers on a shared
/// 2-core machine drift, which is why throughput targets are ratios to the ceiling of the same run, and why a cell's
/// throughput and latency are judged on its median when the run repeated it (<see cref="CellSummary"/>).
/// </summary>
public static class Targets
{
    public const string Met = "met";
    public const string Missed = "MISSED";
    public const string NotMeasured = "not measured";

    public static List<TargetCheck> Judge(BenchReport report) =>
    [
        Ratio(report, ScenarioNames.IotActorsMemory, 0.8),
        Ratio(report, ScenarioNames.IotActorsDurable, 0.4),
        PacedLatency(report),
        MemoryPerDevice(report),
        MillionDevices(report),
        Passivation(report),
    ];

    private static TargetCheck Ratio(BenchReport report, string scenario, double target)
    {
        var name = $"{scenario} >= {F(target)} x ceiling at equal connections and credit";
        var cells = report.Summaries.Where(s => s.Scenario == scenario && s.ThroughputVsCeiling is not null).ToList();
        if (cells.Count == 0) return new TargetCheck(name, NotMeasured, "no cell ran both this scenario and the ceiling");
        var worst = cells.MinBy(s => s.ThroughputVsCeiling!.Median)!;
        var best = cells.MaxBy(s => s.ThroughputVsCeiling!.Median)!;
        var metCount = cells.Count(s => s.ThroughputVsCeiling!.Median >= target);
        return new TargetCheck(name, metCount == cells.Count ? Met : Missed,
            $"{metCount} of {cells.Count} cells{Medians(report)}; worst {worst.ThroughputVsCeiling!.Format(2)} ({worst.Cell}), " +
            $"best {best.ThroughputVsCeiling!.Format(2)} ({best.Cell})" + FloorRatio(report, cells, target, FloorOf(scenario)));
    }

    /// <summary>
    /// Akka's floor under a pipeline scenario in the same cells (<see cref="ScenarioNames.AkkaFloor"/>,
    /// <see cref="ScenarioNames.AkkaPersistFloor"/>), when the run measured it: in how many of them the floor itself
    /// reaches the target, and what share of its floor the pipeline reached — the part of the gap that is ours.
    /// </summary>
    private static string FloorRatio(BenchReport report, List<CellSummary> cells, double target, string floor)
    {
        var pairs = cells
            .Select(c => (Pipeline: c, Floor: report.Summaries.FirstOrDefault(f => f.Scenario == floor && f.Cell == c.Cell && f.ThroughputVsCeiling is not null)))
            .Where(p => p.Floor is not null)
            .ToList();
        if (pairs.Count == 0) return "";
        var floorRatios = pairs.Select(p => p.Floor!.ThroughputVsCeiling!.Median).ToList();
        var shares = pairs.Select(p => p.Pipeline.ThroughputVsCeiling!.Median / p.Floor!.ThroughputVsCeiling!.Median).ToList();
        return $"; Akka's floor ({floor}) reaches it in {floorRatios.Count(r => r >= target)} of {pairs.Count} cells " +
               $"({Range(floorRatios)} x ceiling), and the pipeline reaches {Range(shares)} of its floor";
    }

    private static TargetCheck PacedLatency(BenchReport report)
    {
        var name = $"p99 receive-to-accept < 50 ms at {F(report.LatencyLoad)} x the sustained rate (iotactors-*)";
        var windows = report.Summaries.Where(s => ScenarioNames.IsPipeline(s.Scenario) && s.PacedP99 is not null).ToList();
        if (windows.Count == 0) return new TargetCheck(name, NotMeasured, "no paced window of a pipeline scenario");
        var worst = windows.MaxBy(s => s.PacedP99!.Median)!;
        var metCount = windows.Count(s => s.PacedP99!.Median < 50);
        return new TargetCheck(name, metCount == windows.Count ? Met : Missed,
            $"{metCount} of {windows.Count} windows{Medians(report)}; worst p99 {worst.PacedP99!.Format(2)} ms ({worst.Scenario}, {worst.Cell})" +
            FloorLatency(report, windows.Where(s => s.PacedP99!.Median >= 50).ToList()));
    }

    /// <summary>Of the windows that missed 50 ms, those whose Akka floor (same cell, its own 80 %) missed it too.</summary>
    private static string FloorLatency(BenchReport report, List<CellSummary> missed)
    {
        var floors = missed
            .Select(s => report.Summaries.FirstOrDefault(f => f.Scenario == FloorOf(s.Scenario) && f.Cell == s.Cell && f.PacedP99 is not null))
            .Where(f => f is not null)
            .ToList();
        if (floors.Count == 0) return "";
        var alsoMissed = floors.Where(f => f!.PacedP99!.Median >= 50).ToList();
        return $"; of the {missed.Count} missed, Akka's floor in the same cell misses too in {alsoMissed.Count}" +
               (alsoMissed.Count == 0 ? "" : " (" + string.Join(", ", alsoMissed.Select(f => $"{f!.Scenario} {f.PacedP99!.Format(1)} ms, {f.Cell}")) + ")");
    }

    /// <summary>The floor scenario under a pipeline scenario.</summary>
    internal static string FloorOf(string pipeline) => pipeline == ScenarioNames.IotActorsDurable ? ScenarioNames.AkkaPersistFloor : ScenarioNames.AkkaFloor;

    /// <summary>Says that cells were judged on medians, when there was more than one repetition to take a median of.</summary>
    private static string Medians(BenchReport report) => report.Repetitions > 1 ? $" (medians of {report.Repetitions} repetitions)" : "";

    private static TargetCheck MemoryPerDevice(BenchReport report)
    {
        const string name = "<= 1 KiB managed memory per idle resident device actor";
        var measured = report.Memory.Where(m => m.Error is null && m.BytesPerDevice > 0).ToList();
        if (measured.Count == 0) return new TargetCheck(name, NotMeasured, "memory probe not run");
        return new TargetCheck(name, measured.All(m => m.BytesPerDevice <= 1024) ? Met : Missed,
            string.Join("; ", measured.Select(m => $"{BenchCell.Count(m.Devices)} devices: {F(m.BytesPerDevice, 0)} B/device")) +
            (report.Dedupe is { } d ? $"; a full messageId window ({d.Entries} IDs) adds {F(d.BytesPerWindow / 1024, 1)} KiB to a busy device" : "") +
            Floor(report, 1024));
    }

    /// <summary>
    /// Akka's floor of this run, for the evidence of a per-device memory target: whether one persistent actor per device
    /// could meet <paramref name="bytesPerDevice"/> at all.
    /// </summary>
    private static string Floor(BenchReport report, double bytesPerDevice)
    {
        var floor = report.Floors.Where(f => f.Error is null && f.PersistentActorBytes > 0).MinBy(f => f.PersistentActorBytes);
        if (floor is null) return "";
        return $"; Akka's floor in this run: {F(floor.PersistentActorBytes, 0)} B per empty persistent sharded actor, {F(floor.EmptyActorBytes, 0)} B per empty sharded actor" +
               (floor.PersistentActorBytes > bytesPerDevice ? " (above the target: no persistent actor per device can meet it)" : "");
    }

    private static TargetCheck MillionDevices(BenchReport report)
    {
        const string name = "1M devices on one node within 2 GiB";
        var million = report.Memory.FirstOrDefault(m => m.Devices >= 1_000_000 && m.Error is null);
        if (million is null) return new TargetCheck(name, NotMeasured, "no memory probe with 1M devices in this run");
        const long limit = 2L * 1024 * 1024 * 1024;
        var verdict = million.WorkingSetBytes <= limit && million.DevicesAliveAtMeasure >= million.Devices ? Met : Missed;
        return new TargetCheck(name, verdict,
            $"{BenchCell.Count(million.Devices)} idle twins: managed heap {Gib(million.ManagedHeapBytes)}, process working set {Gib(million.WorkingSetBytes)}" +
            Floor(report, limit / (double)million.Devices));
    }

    private static TargetCheck Passivation(BenchReport report)
    {
        const string name = "passivation returns memory";
        var checkedRun = report.Memory.FirstOrDefault(m => m.PassivationReturnedFraction is not null);
        if (checkedRun is null) return new TargetCheck(name, NotMeasured, "passivation not checked in this run");
        var fraction = checkedRun.PassivationReturnedFraction!.Value;
        var verdict = fraction >= 0.9 && checkedRun.DevicesAliveAfterPassivation == 0 ? Met : Missed;
        return new TargetCheck(name, verdict,
            $"{BenchCell.Count(checkedRun.Devices)} devices: {F(fraction * 100, 0)} % of their memory returned, {checkedRun.DevicesAliveAfterPassivation} still alive after {F(checkedRun.PassivationSeconds ?? 0, 0)} s");
    }

    /// <summary>The least and greatest of <paramref name="values"/>, or the one value they all are.</summary>
    private static string Range(List<double> values) =>
        F(values.Min()) == F(values.Max()) ? F(values.Min()) : $"{F(values.Min())}–{F(values.Max())}";

    private static string Gib(long bytes) => F(bytes / (1024.0 * 1024 * 1024), 2) + " GiB";

    internal static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
