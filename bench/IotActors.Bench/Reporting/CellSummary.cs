namespace IotActors.Bench.Reporting;

/// <summary>A middle value with the spread around it, over a cell's repetitions.</summary>
public sealed record Spread(double Median, double Min, double Max)
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count), with their least and greatest.</summary>
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("A spread needs at least one value.", nameof(values));
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1]);
    }

    /// <summary>The median, followed by <c>[least–greatest]</c> when the values differ.</summary>
    public string Format(int decimals) =>
        Min == Max ? Targets.F(Median, decimals) : $"{Targets.F(Median, decimals)} [{Targets.F(Min, decimals)}–{Targets.F(Max, decimals)}]";
}

/// <summary>
/// One scenario on one cell over every repetition that measured it: what the targets are judged on. A single run of a
/// cell is one sample of a shared machine; the median of several, each a ratio to its own repetition's ceiling, is not
/// moved by one repetition whose load changed between the ceiling and the scenario.
/// </summary>
/// <param name="Cell">The cell.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Repetitions">Repetitions that measured the scenario (those that failed are left out).</param>
/// <param name="MessagesPerSecond">Saturated rate.</param>
/// <param name="ThroughputVsCeiling">Saturated rate over the same repetition's ceiling; null for a cell without a ceiling.</param>
/// <param name="PacedP99">p99 receive-to-accept of the paced window, ms; null when no repetition had a paced window.</param>
/// <param name="AllocatedBytesPerMessage">Bytes allocated per accepted message in the saturated window.</param>
public sealed record CellSummary(
    BenchCell Cell,
    string Scenario,
    int Repetitions,
    Spread MessagesPerSecond,
    Spread? ThroughputVsCeiling,
    Spread? PacedP99,
    Spread AllocatedBytesPerMessage)
{
    /// <summary>One summary per cell and scenario that measured at least once, in the order the results first name them.</summary>
    public static List<CellSummary> Of(IReadOnlyList<ScenarioResult> results) =>
        results.Where(r => r.Error is null)
            .GroupBy(r => (r.Cell, r.Scenario))
            .Select(g =>
            {
                var runs = g.ToList();
                var ratios = runs.Where(r => r.ThroughputVsCeiling is not null).Select(r => r.ThroughputVsCeiling!.Value).ToList();
                var paced = runs.Where(r => r.Paced is not null).Select(r => r.Paced!.P99).ToList();
                return new CellSummary(g.Key.Cell, g.Key.Scenario, runs.Count,
                    Spread.Of(runs.Select(r => r.MessagesPerSecond).ToList()),
                    ratios.Count > 0 ? Spread.Of(ratios) : null,
                    paced.Count > 0 ? Spread.Of(paced) : null,
                    Spread.Of(runs.Select(r => r.AllocatedBytesPerMessage).ToList()));
            })
            .ToList();
}
