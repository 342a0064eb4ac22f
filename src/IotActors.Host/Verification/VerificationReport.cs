using System.Globalization;

namespace IotActors.Host.Verification;

/// <summary>The verdicts of every device in the ground truth, summed up as the chaos table prints them.</summary>
public sealed class VerificationReport(IReadOnlyCollection<DeviceVerdict> verdicts)
{
    public IReadOnlyCollection<DeviceVerdict> Verdicts { get; } = verdicts;

    public int DevicesChecked => Verdicts.Count;

    public int Matching => Verdicts.Count(v => v.Matches);

    public int Mismatching => DevicesChecked - Matching;

    public long LostMessages => Verdicts.Sum(v => v.Lost);

    public long AppliedTwice => Verdicts.Sum(v => v.AppliedTwice);

    /// <summary>Devices no node answered for at the last attempt (counted as mismatching).</summary>
    public int Unanswered => Verdicts.Count(v => v.MessagesApplied is null);

    public bool AllMatch => Mismatching == 0;

    /// <summary>The table, then the first <paramref name="maxMismatches"/> mismatching devices with their first differences.</summary>
    public void Print(TextWriter output, int maxMismatches = 10)
    {
        ArgumentNullException.ThrowIfNull(output);
        Row("devices checked", DevicesChecked);
        Row("matching", Matching);
        Row("mismatching", Mismatching);
        Row("lost messages", LostMessages);
        Row("applied twice", AppliedTwice);
        if (Unanswered > 0) Row("no node answered", Unanswered);
        var mismatches = Verdicts.Where(v => !v.Matches).OrderBy(v => v.Device.ToString(), StringComparer.Ordinal).Take(maxMismatches).ToList();
        if (mismatches.Count == 0) return;
        output.WriteLine(Mismatching > mismatches.Count ? $"first {mismatches.Count} mismatches:" : "mismatches:");
        foreach (var v in mismatches)
        {
            output.WriteLine($"  {v.Device}: {string.Join("; ", v.Differences.Take(3))}{(v.Differences.Count > 3 ? $" (+{v.Differences.Count - 3} more)" : "")}");
        }

        void Row(string name, long value) => output.WriteLine($"  {name,-18}{value.ToString(CultureInfo.InvariantCulture),8}");
    }
}
