namespace IotActors.Actors.Connections;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a random time in
/// [0, min(max, min × 2^n)], so a fleet that lost its connections at once does not come back at once.
/// Authentication failures take the slow lane instead. Plain code, unit-tested without actors.
/// </summary>
public sealed class BackoffPolicy(ConsumerOptions options, Random random)
{
    /// <summary>The delay before retry number <paramref name="failures"/> (1 = first retry).</summary>
    public TimeSpan Next(int failures, bool authenticationFailure)
    {
        if (authenticationFailure)
        {
            var slow = options.AuthenticationFailureBackoff;
            return slow * (0.9 + 0.2 * random.NextDouble());
        }

        var exponent = Math.Clamp(failures - 1, 0, 30);
        var capTicks = Math.Min(options.MaxBackoff.Ticks, options.MinBackoff.Ticks * (double)(1L << exponent));
        return TimeSpan.FromTicks((long)(capTicks * random.NextDouble()));
    }

    /// <summary>The upper bound of <see cref="Next"/> for a transient failure; used in logs and tests.</summary>
    public TimeSpan Cap(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        return TimeSpan.FromTicks((long)Math.Min(options.MaxBackoff.Ticks, options.MinBackoff.Ticks * (double)(1L << exponent)));
    }
}
