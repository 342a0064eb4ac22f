using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Serialization;

namespace TemperatureAlarm;

/// <summary>
/// A device's newest readings by the device's own time and the alarm they decide. Its value depends only on
/// <em>which</em> readings were added, never on the order they arrived in — the platform delivers at least once and
/// in no particular order, so this is what makes the state converge.
/// </summary>
/// <remarks>
/// <para>Why it converges: <see cref="Recent"/> is "the newest <see cref="AlarmThresholds.Window"/> readings of all
/// added", and <see cref="Settled"/> is "the newest reading outside the band among all the others"; both are the same
/// set whatever the arrival order. <see cref="Alarm"/> and <see cref="RecentRaises"/> are then replayed from them in
/// time order, which is exactly the hysteresis a device would show if its readings had arrived in order.</para>
/// <para>A reading already kept (same time, same value) changes nothing; a reading older than everything kept only
/// matters when it is the newest decisive one before the window.</para>
/// </remarks>
/// <param name="Recent">The newest readings by time, oldest first; at most <see cref="AlarmThresholds.Window"/>.</param>
/// <param name="Settled">The newest reading outside [Low, High] that is older than every reading in <see cref="Recent"/>: what the alarm was when the window begins. Null when there is none.</param>
/// <param name="Alarm">The alarm as of the newest reading: raised when the newest reading outside the band was above High.</param>
/// <param name="RecentRaises">How often the alarm went from clear to raised within <see cref="Recent"/>, in time order.</param>
public sealed record TemperatureWindow(ImmutableList<Reading> Recent, Reading? Settled, bool Alarm, int RecentRaises)
{
    public static TemperatureWindow Empty { get; } = new([], null, false, 0);

    /// <summary>The newest reading by time (a late one never replaces it).</summary>
    [JsonIgnore]
    public Reading? Latest => Recent.IsEmpty ? null : Recent[^1];

    /// <summary>The window with <paramref name="reading"/> added, and the alarm replayed.</summary>
    public TemperatureWindow Add(Reading reading, AlarmThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(thresholds);
        var recent = Recent;
        var settled = Settled;
        if (recent.Count >= thresholds.Window && reading.CompareTo(recent[0]) < 0)
        {
            // Older than every reading kept: it can only be the newest decisive reading before the window.
            settled = NewerDecisive(settled, reading, thresholds);
        }
        else
        {
            var index = recent.BinarySearch(reading);
            if (index >= 0) return this; // the same reading again (a device repeating itself)
            recent = recent.Insert(~index, reading);
            while (recent.Count > thresholds.Window)
            {
                // The oldest reading leaves the window; if it decided the alarm, the window now begins from it.
                settled = NewerDecisive(settled, recent[0], thresholds);
                recent = recent.RemoveAt(0);
            }
        }
        var (alarm, raises) = Replay(settled, recent, thresholds);
        return new TemperatureWindow(recent, settled, alarm, raises);
    }

    public bool Equals(TemperatureWindow? other) =>
        other is not null && Settled == other.Settled && Alarm == other.Alarm && RecentRaises == other.RecentRaises
        && Recent.SequenceEqual(other.Recent);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Settled);
        hash.Add(Alarm);
        hash.Add(RecentRaises);
        foreach (var reading in Recent) hash.Add(reading);
        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Recent = [").AppendJoin(", ", Recent.Select(Format)).Append("], Settled = ")
            .Append(Settled is null ? "none" : Format(Settled))
            .Append(", Alarm = ").Append(Alarm).Append(", RecentRaises = ").Append(RecentRaises);
        return true;

        static string Format(Reading r) => FormattableString.Invariant($"{r.Celsius}@{r.Time}");
    }

    private static Reading? NewerDecisive(Reading? current, Reading candidate, AlarmThresholds thresholds) =>
        thresholds.Decides(candidate.Celsius) && (current is null || candidate.CompareTo(current) > 0) ? candidate : current;

    /// <summary>The hysteresis in time order, starting from what <paramref name="settled"/> decided.</summary>
    private static (bool Alarm, int Raises) Replay(Reading? settled, ImmutableList<Reading> recent, AlarmThresholds thresholds)
    {
        var alarm = settled is not null && thresholds.Raises(settled.Celsius);
        var raises = 0;
        foreach (var reading in recent)
        {
            if (!alarm && thresholds.Raises(reading.Celsius))
            {
                alarm = true;
                raises++;
            }
            else if (alarm && thresholds.Clears(reading.Celsius))
            {
                alarm = false;
            }
        }
        return (alarm, raises);
    }
}
