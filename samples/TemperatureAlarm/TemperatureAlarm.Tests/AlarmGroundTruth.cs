namespace TemperatureAlarm.Tests;

/// <summary>
/// What a device's state must be after <em>all</em> its readings and notices, worked out the plain way: sort the whole
/// history by the payload times and walk it once, as if everything had arrived in order. The behavior never sees the
/// whole history (it keeps a bounded window and arrives at it in any order), so this is an independent answer.
/// </summary>
internal static class AlarmGroundTruth
{
    public static AlarmState Expected(IEnumerable<Reading> readings, IEnumerable<StatusNotice> notices, AlarmThresholds thresholds) =>
        new(Temperature(readings, thresholds), Presence(notices));

    /// <summary>Total online time by pairing each online with the next offline in time order; an offline with no online before it opens nothing.</summary>
    public static long OnlineMs(IEnumerable<StatusNotice> notices)
    {
        long total = 0;
        long? since = null;
        foreach (var notice in notices.Order())
        {
            if (notice.Online) since ??= notice.Time;
            else if (since is { } start)
            {
                total += notice.Time - start;
                since = null;
            }
        }
        return total;
    }

    private static TemperatureWindow Temperature(IEnumerable<Reading> readings, AlarmThresholds thresholds)
    {
        // A reading repeated (same time, same value) is the same reading.
        var history = readings.Distinct().Order().ToList();
        var windowStart = Math.Max(0, history.Count - thresholds.Window);
        var alarm = false;
        var recentRaises = 0;
        for (var i = 0; i < history.Count; i++)
        {
            var celsius = history[i].Celsius;
            if (!alarm && thresholds.Raises(celsius))
            {
                alarm = true;
                if (i >= windowStart) recentRaises++;
            }
            else if (alarm && thresholds.Clears(celsius))
            {
                alarm = false;
            }
        }
        var settled = history.Take(windowStart).LastOrDefault(r => thresholds.Decides(r.Celsius));
        return new TemperatureWindow([.. history.Skip(windowStart)], settled, alarm, recentRaises);
    }

    private static OnlineClock Presence(IEnumerable<StatusNotice> notices)
    {
        var all = notices.Order().ToList();
        if (all.Count == 0) return OnlineClock.Empty;
        return new OnlineClock(all[0], all[^1],
            all.Sum(n => n.Online ? -n.Time : n.Time),
            all.Count(n => n.Online) - all.Count(n => !n.Online));
    }
}
