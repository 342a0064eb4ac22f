namespace IotActors.Emulator;

/// <summary>
/// Settings of the <see cref="PlatformEmulator"/>. Defaults are the platform's documented values
/// (spec §2.2, §2.3, §3.2, §3.3). Validated once by <see cref="PlatformEmulator.StartAsync"/>.
/// </summary>
/// <remarks>
/// <see cref="TimeScale"/> multiplies every duration the emulator waits for on its own
/// (authentication, attach, ack, stacked retry, retention, connect-attempt window, idle close).
/// It does not touch values the client advertises (<see cref="MinIdleTimeout"/>,
/// <see cref="MaxIdleTimeout"/>), the <see cref="TimestampWindow"/>, or per-second rates:
/// rates are set directly, so a fast test can lower a limit without changing what "a second" means.
/// </remarks>
public sealed class EmulatorOptions
{
    /// <summary>Address the TLS listener binds to. <b>Default:</b> 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Extra DNS names or IPs the certificate is valid for, besides localhost, 127.0.0.1, ::1 and
    /// <see cref="ListenAddress"/> — e.g. <c>emulator</c> when clients reach it by a container service name.
    /// <b>Default:</b> none.
    /// </summary>
    public List<string> CertificateHostNames { get; set; } = [];

    /// <summary>TCP port; 0 picks a free port. <b>Default:</b> 0.</summary>
    public int Port { get; set; }

    /// <summary>AccessKey ID → AccessKey secret for <c>authMode=aksign</c>. <b>Default:</b> empty.</summary>
    public Dictionary<string, string> AccessKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Credentials for <c>authMode=ststoken</c>. <b>Default:</b> empty.</summary>
    public List<StsCredential> StsCredentials { get; set; } = [];

    /// <summary>Consumer group IDs that exist; each receives its own copy of every message. <b>Default:</b> DEFAULT_GROUP.</summary>
    public List<string> ConsumerGroups { get; set; } = ["DEFAULT_GROUP"];

    /// <summary>
    /// The simulated instance ID. null = an old public instance: <c>iotInstanceId</c> must be absent or empty.
    /// Set = a new-generation instance: the login must carry exactly this value. <b>Default:</b> null.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// null accepts any login timestamp, as the real platform does (spec §1.5). Set = refuse logins whose
    /// timestamp is further than this from the emulator's UTC clock (not scaled). <b>Default:</b> null.
    /// </summary>
    public TimeSpan? TimestampWindow { get; set; }

    /// <summary>TLS and SASL must complete within this after the socket is accepted (scaled). <b>Default:</b> 15 s.</summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A receiver link must be attached within this after the client's Open (scaled). <b>Default:</b> 15 s.</summary>
    public TimeSpan AttachTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Lowest idle-time-out a client may advertise in its Open (not scaled). <b>Default:</b> 30 s.</summary>
    public TimeSpan MinIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Highest idle-time-out a client may advertise in its Open (not scaled). <b>Default:</b> 300 s.</summary>
    public TimeSpan MaxIdleTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The emulator closes a connection on which no frame arrived for this long (scaled, at least 1 s);
    /// it advertises half of it in its own Open, so compliant clients heartbeat in time. <b>Default:</b> 300 s.
    /// </summary>
    public TimeSpan IdleCloseTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>A delivery not settled within this is treated as undelivered and stacked (scaled). <b>Default:</b> 30 s.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Highest push rate of stacked (accumulated) messages per consumer group. <b>Default:</b> 200.</summary>
    public int StackedReplayPerSecond { get; set; } = 200;

    /// <summary>A replayed message that fails again waits this long before its next push (scaled). <b>Default:</b> 60 s.</summary>
    public TimeSpan StackedRetryInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Highest number of transfers per connection per second. <b>Default:</b> 1000.</summary>
    public int MaxMessagesPerSecondPerConnection { get; set; } = 1000;

    /// <summary>Highest number of connections consuming one consumer group at once. <b>Default:</b> 64.</summary>
    public int MaxClientsPerGroup { get; set; } = 64;

    /// <summary>Connection attempts per consumer group in a sliding minute (the minute is scaled). <b>Default:</b> 100.</summary>
    public int MaxConnectAttemptsPerMinutePerGroup { get; set; } = 100;

    /// <summary>Queued messages older than this (since publish) expire and are dropped (scaled). <b>Default:</b> 24 h.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most messages queued (pending + stacked) per consumer group; beyond it the oldest are dropped. <b>Default:</b> 1,000,000.</summary>
    public int StackedCapacity { get; set; } = 1_000_000;

    /// <summary>Multiplies the emulator's own durations, e.g. 0.01 for fast tests. <b>Default:</b> 1.0.</summary>
    public double TimeScale { get; set; } = 1.0;

    /// <summary>Seed for the random choices (client per message, duplicate and reorder faults); null = unseeded. <b>Default:</b> null.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>
    /// Keep a log of every transfer (<see cref="PlatformEmulator.GetDeliveryLog"/>), e.g. for order invariants in
    /// chaos tests. Memory grows with every transfer: for bounded test runs only. <b>Default:</b> false.
    /// </summary>
    public bool RecordDeliveries { get; set; }

    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(30);

    /// <summary>A duration of the emulator's own multiplied by <see cref="TimeScale"/> (at least 1 ms).</summary>
    internal TimeSpan Scaled(TimeSpan duration) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(duration.Ticks * TimeScale)));

    /// <summary>Every problem found, each naming the setting and its allowed range; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ListenAddress)) errors.Add("EmulatorOptions.ListenAddress must not be empty.");
        if (Port is < 0 or > 65535) errors.Add($"EmulatorOptions.Port must be between 0 and 65535 (was {Port}).");
        if (AccessKeys is null || StsCredentials is null || (AccessKeys.Count == 0 && StsCredentials.Count == 0))
        {
            errors.Add("EmulatorOptions.AccessKeys or EmulatorOptions.StsCredentials needs at least one entry, otherwise every login is refused.");
        }
        if (ConsumerGroups is null || ConsumerGroups.Count == 0)
        {
            errors.Add("EmulatorOptions.ConsumerGroups needs at least one consumer group ID.");
        }
        else
        {
            if (ConsumerGroups.Any(string.IsNullOrWhiteSpace)) errors.Add("EmulatorOptions.ConsumerGroups must not contain empty IDs.");
            if (ConsumerGroups.Distinct(StringComparer.Ordinal).Count() != ConsumerGroups.Count) errors.Add("EmulatorOptions.ConsumerGroups must not contain an ID twice.");
        }
        if (TimestampWindow is { } window && window <= TimeSpan.Zero) errors.Add($"EmulatorOptions.TimestampWindow must be positive or null (was {window}).");

        CheckDuration(errors, nameof(AuthenticationTimeout), AuthenticationTimeout);
        CheckDuration(errors, nameof(AttachTimeout), AttachTimeout);
        CheckDuration(errors, nameof(IdleCloseTimeout), IdleCloseTimeout);
        CheckDuration(errors, nameof(AckTimeout), AckTimeout);
        CheckDuration(errors, nameof(StackedRetryInterval), StackedRetryInterval);
        CheckDuration(errors, nameof(Retention), Retention);

        var maxIdleMs = TimeSpan.FromMilliseconds(uint.MaxValue);
        if (MinIdleTimeout <= TimeSpan.Zero || MinIdleTimeout > maxIdleMs) errors.Add($"EmulatorOptions.MinIdleTimeout must be between 1 ms and {maxIdleMs} (was {MinIdleTimeout}).");
        if (MaxIdleTimeout < MinIdleTimeout || MaxIdleTimeout > maxIdleMs) errors.Add($"EmulatorOptions.MaxIdleTimeout must be between MinIdleTimeout ({MinIdleTimeout}) and {maxIdleMs} (was {MaxIdleTimeout}).");

        CheckPositive(errors, nameof(StackedReplayPerSecond), StackedReplayPerSecond);
        CheckPositive(errors, nameof(MaxMessagesPerSecondPerConnection), MaxMessagesPerSecondPerConnection);
        CheckPositive(errors, nameof(MaxClientsPerGroup), MaxClientsPerGroup);
        CheckPositive(errors, nameof(MaxConnectAttemptsPerMinutePerGroup), MaxConnectAttemptsPerMinutePerGroup);
        CheckPositive(errors, nameof(StackedCapacity), StackedCapacity);

        if (!(TimeScale > 0 && TimeScale <= 10)) errors.Add($"EmulatorOptions.TimeScale must be greater than 0 and at most 10 (was {TimeScale}).");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem <see cref="Validate"/> finds.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid emulator options: " + string.Join(" ", errors));
        }
    }

    private static void CheckDuration(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > LongestDuration)
        {
            errors.Add($"EmulatorOptions.{name} must be between 1 ms and {LongestDuration.TotalDays:0} days (was {value}).");
        }
    }

    private static void CheckPositive(List<string> errors, string name, int value)
    {
        if (value < 1) errors.Add($"EmulatorOptions.{name} must be at least 1 (was {value}).");
    }
}
