using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace IotActors.TestKit.Invariants;

/// <summary>
/// The promises checked after a run, with the numbers behind them. <see cref="Holds"/> is true when nothing was lost,
/// nothing applied twice, order held where the platform delivered in order, nothing is left unaccepted and nothing
/// kept growing. <see cref="Problems"/> names the first offenders.
/// </summary>
public sealed record InvariantReport(
    long Sent,
    long Processed,
    long Redelivered,
    long DuplicatesDropped,
    long Lost,
    long AppliedTwice,
    long OrderViolations,
    long Unaccepted,
    long Parked,
    ImmutableList<string> Problems)
{
    public bool Holds => Lost == 0 && AppliedTwice == 0 && OrderViolations == 0 && Unaccepted == 0 && Problems.IsEmpty;

    /// <summary>Throws <see cref="InvariantViolationException"/> listing the problems when <see cref="Holds"/> is false.</summary>
    public void ThrowIfViolated()
    {
        if (!Holds) throw new InvariantViolationException(ToString());
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"sent {Sent}, processed {Processed}, redelivered {Redelivered}, duplicates dropped {DuplicatesDropped}, lost {Lost}, applied twice {AppliedTwice}, order violations {OrderViolations}, unaccepted {Unaccepted}, parked {Parked}");
        foreach (var problem in Problems) text.Append("\n  ").Append(problem);
        return text.ToString();
    }

    /// <summary>A plain-text table, one row per scenario, with the faults injected by kind.</summary>
    public static string FormatTable(IEnumerable<(string Scenario, InvariantReport Report, IReadOnlyDictionary<string, int> Faults)> rows)
    {
        var header = new[] { "scenario", "sent", "processed", "redelivered", "dup dropped", "lost", "applied twice", "order viol.", "unaccepted", "faults injected" };
        var lines = rows.Select(r => new[]
        {
            r.Scenario, N(r.Report.Sent), N(r.Report.Processed), N(r.Report.Redelivered), N(r.Report.DuplicatesDropped),
            N(r.Report.Lost), N(r.Report.AppliedTwice), N(r.Report.OrderViolations), N(r.Report.Unaccepted),
            r.Faults.Count == 0 ? "-" : string.Join(", ", r.Faults.Select(f => $"{f.Key}×{f.Value}")),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        var text = new StringBuilder();
        void Row(string[] cells) => text.AppendLine("| " + string.Join(" | ", cells.Select((c, i) => i is 0 or 9 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |");
        Row(header);
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var line in lines) Row(line);
        return text.ToString();

        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>An invariant did not hold; the message carries the report.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
