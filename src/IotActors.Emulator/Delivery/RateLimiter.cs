namespace IotActors.Emulator.Delivery;

/// <summary>
/// A token bucket: <c>perSecond</c> tokens a second, holding at most a tenth of a second's worth
/// (at least 1). The small burst keeps any one-second window close to the limit (at most 1.1 × it),
/// which is what "1,000 TPS per connection" promises. Not thread-safe: callers hold their group's lock.
/// </summary>
internal sealed class RateLimiter
{
    // Refills are sums of tiny fractions; a bucket at 0.9999999999 must count as holding a token, or the wake-up time
    // computed for it rounds to "now" and the caller waits for a wake that never comes.
    private const double Tolerance = 1e-9;

    private readonly double _perSecond;
    private readonly double _capacity;
    private double _tokens;
    private TimeSpan _lastRefill;

    public RateLimiter(int perSecond, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        _perSecond = perSecond;
        _capacity = Math.Max(1, perSecond / 10);
        _tokens = _capacity;
        _lastRefill = now;
    }

    public bool HasToken(TimeSpan now)
    {
        Refill(now);
        return _tokens >= 1 - Tolerance;
    }

    /// <summary>Spends one token; callers check <see cref="HasToken"/> first.</summary>
    public void Take(TimeSpan now)
    {
        Refill(now);
        _tokens -= 1;
    }

    /// <summary>
    /// When the next whole token is there: <paramref name="now"/> if <see cref="HasToken"/>, otherwise a time strictly
    /// after it (rounded up to the tick), at which <see cref="HasToken"/> is true.
    /// </summary>
    public TimeSpan NextTokenAt(TimeSpan now)
    {
        Refill(now);
        if (_tokens >= 1 - Tolerance) return now;
        var ticks = Math.Ceiling((1 - _tokens) / _perSecond * TimeSpan.TicksPerSecond);
        return now + TimeSpan.FromTicks(Math.Max(1, (long)ticks));
    }

    private void Refill(TimeSpan now)
    {
        if (now <= _lastRefill) return;
        _tokens = Math.Min(_capacity, _tokens + (now - _lastRefill).TotalSeconds * _perSecond);
        _lastRefill = now;
    }
}
