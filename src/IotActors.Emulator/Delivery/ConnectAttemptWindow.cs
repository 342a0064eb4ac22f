namespace IotActors.Emulator.Delivery;

/// <summary>
/// Connection attempts of one consumer group in a sliding window. Refused attempts count too, as on
/// the platform: a fleet that retries too fast keeps itself locked out (spec §2.3).
/// Not thread-safe: callers hold their group's lock.
/// </summary>
internal sealed class ConnectAttemptWindow(int maxAttempts, TimeSpan window)
{
    private readonly Queue<TimeSpan> _attempts = new();

    /// <summary>Records an attempt at <paramref name="now"/>; false when the budget was already used up.</summary>
    public bool TryRecord(TimeSpan now)
    {
        while (_attempts.TryPeek(out var at) && now - at >= window)
        {
            _attempts.Dequeue();
        }
        var allowed = _attempts.Count < maxAttempts;
        _attempts.Enqueue(now);
        return allowed;
    }
}
