using IotActors.TestKit.Invariants;

namespace IotActors.Chaos.Tests;

/// <summary>
/// Collects one row per chaos scenario and keeps the whole table in <c>chaos-table.md</c> next to the test assembly
/// (or in <c>$IOTACTORS_CHAOS_TABLE</c>), which <c>scripts/test.sh</c> prints after the run.
/// </summary>
internal static class ChaosTable
{
    private static readonly object Gate = new();
    private static readonly List<(string, InvariantReport, IReadOnlyDictionary<string, int>)> Rows = [];

    public static string Add(string scenario, InvariantReport report, IReadOnlyDictionary<string, int> faults)
    {
        lock (Gate)
        {
            Rows.Add((scenario, report, faults));
            var table = InvariantReport.FormatTable(Rows);
            var path = Environment.GetEnvironmentVariable("IOTACTORS_CHAOS_TABLE") is { Length: > 0 } configured
                ? configured
                : Path.Combine(AppContext.BaseDirectory, "chaos-table.md");
            File.WriteAllText(path, table);
            return InvariantReport.FormatTable([(scenario, report, faults)]);
        }
    }
}
