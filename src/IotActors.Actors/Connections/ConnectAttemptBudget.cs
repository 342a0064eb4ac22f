namespace IotActors.Actors.Connections;

/// <summary>
/// A sliding one-minute window of connect attempts shared by every connection of one consumer group in
/// this process, so that even when all connections drop at once the group stays under the platform's
/// limit (100 attempts per minute for the whole fleet). Thread-safe; time comes from the caller so
/// tests can use virtual time.
/// </summary>
public sealed class ConnectAttemptBudget(int attemptsPerMinute)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<DateTimeOffset> _attempts = new();

    public int AttemptsPerMinute { get; } = attemptsPerMinute;

    /// <summary>Takes a permit and returns <see cref="TimeSpan.Zero"/>, or returns how long to wait before asking again.</summary>
    public TimeSpan TryTake(DateTimeOffset now)
    {
        lock (_attempts)
        {
            while (_attempts.Count > 0 && now - _attempts.Peek() >= Window) _attempts.Dequeue();
            if (_attempts.Count < AttemptsPerMinute)
            {
                _attempts.Enqueue(now);
                return TimeSpan.Zero;
            }
            var wait = _attempts.Peek() + Window - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1);
        }
    }

    /// <summary>Attempts counted in the window ending at <paramref name="now"/>.</summary>
    public int Used(DateTimeOffset now)
    {
        lock (_attempts)
        {
            return _attempts.Count(a => now - a < Window);
        }
    }
}
