namespace IotActors.Actors.Connections;

/// <summary>
/// How connection actors behave: reconnect policy, delivery deadlines, shutdown. Immutable once the
/// consumer starts; validated by <see cref="Validate"/>.
/// </summary>
public sealed record ConsumerOptions
{
    /// <summary>First reconnect delay cap (full jitter: the real delay is random in [0, cap]). <b>Default:</b> 1 s.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest reconnect delay cap. <b>Default:</b> 60 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Delay after an authentication failure (wrong secret, group, instance ID): retrying faster cannot
    /// help and burns the group's connect budget. Jittered by ±10 %. <b>Default:</b> 60 s (at least 60 s in production).
    /// </summary>
    public TimeSpan AuthenticationFailureBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Connect attempts this process may make per minute for the consumer group, all client IDs together.
    /// The platform allows 100 per minute per group for the whole fleet: give each node its share.
    /// <b>Default:</b> 30.
    /// </summary>
    public int ConnectAttemptsPerMinute { get; init; } = 30;

    /// <summary>
    /// A delivery not processed within this is released (the platform redelivers it) and counted. Must stay
    /// below the platform's 30 s ack timeout. <b>Default:</b> 20 s.
    /// </summary>
    public TimeSpan ProcessingDeadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>On graceful stop, how long to wait for in-flight deliveries before closing. <b>Default:</b> 10 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On graceful stop, how long the link must stay quiet, with nothing unsettled, before it is closed: the platform may
    /// still send on the credit it holds (lowering credit sends it nothing; AMQPNetLite waits for that credit to be used),
    /// and what arrives meanwhile is processed and accepted instead of being left to the platform's redelivery.
    /// 0 closes as soon as nothing is unsettled. Bounded by <see cref="DrainTimeout"/>. <b>Default:</b> 250 ms.
    /// </summary>
    public TimeSpan DrainQuietPeriod { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Bodies larger than this are parked unread and accepted. <b>Default:</b> 256 KiB.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Seed for backoff jitter; null = random. Tests set it for reproducible delays. <b>Default:</b> null.</summary>
    public int? JitterSeed { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MinBackoff <= TimeSpan.Zero) errors.Add($"Consumer:MinBackoff is {MinBackoff}; it must be positive.");
        if (MaxBackoff < MinBackoff) errors.Add($"Consumer:MaxBackoff is {MaxBackoff}; it must be at least MinBackoff ({MinBackoff}).");
        if (AuthenticationFailureBackoff <= TimeSpan.Zero) errors.Add($"Consumer:AuthenticationFailureBackoff is {AuthenticationFailureBackoff}; it must be positive (60 s or more against the real platform).");
        if (ConnectAttemptsPerMinute is < 1 or > 100) errors.Add($"Consumer:ConnectAttemptsPerMinute is {ConnectAttemptsPerMinute}; allowed 1–100 (the platform's limit per group).");
        if (ProcessingDeadline <= TimeSpan.Zero || ProcessingDeadline >= TimeSpan.FromSeconds(30))
            errors.Add($"Consumer:ProcessingDeadline is {ProcessingDeadline.TotalSeconds:0.###} s; allowed above 0 and below 30 s (the platform's ack timeout).");
        if (DrainTimeout < TimeSpan.Zero) errors.Add($"Consumer:DrainTimeout is {DrainTimeout}; it must not be negative.");
        if (DrainQuietPeriod < TimeSpan.Zero) errors.Add($"Consumer:DrainQuietPeriod is {DrainQuietPeriod}; it must not be negative.");
        if (MaxBodyBytes < 1) errors.Add($"Consumer:MaxBodyBytes is {MaxBodyBytes}; it must be at least 1.");
        return errors;
    }
}
