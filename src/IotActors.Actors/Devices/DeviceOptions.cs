namespace IotActors.Actors.Devices;

/// <summary>
/// How device actors deduplicate, retry, park and passivate. Validated once, when the device
/// behavior is registered (<see cref="Validate"/>); a registration keeps its own copy.
/// </summary>
public sealed class DeviceOptions
{
    /// <summary>Upper bound for <see cref="MaxRetries"/> × <see cref="RetryBackoff"/> (all backoffs added up).</summary>
    /// <remarks>
    /// A message being retried holds up every later message of its device and its delivery stays
    /// unacknowledged; the platform redelivers anything not acknowledged within 30 s, so the retries
    /// of one message must end well before that.
    /// </remarks>
    public static readonly TimeSpan MaxTotalRetryDelay = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many recent messageIds each device remembers to drop redeliveries (oldest evicted first).
    /// A redelivery older than the window is applied again. <b>Default:</b> 1000. Range 1–100,000.
    /// </summary>
    public int DedupeWindow { get; set; } = 1000;

    /// <summary>
    /// How often a message whose <c>Apply</c> threw is tried again before it is parked (or, with
    /// <see cref="LeaveFailedUnaccepted"/>, handed back unaccepted). 0 parks at the first failure.
    /// <b>Default:</b> 3. Range 0–10.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Delay before the first retry; each further retry waits twice as long as the one before. Later
    /// messages of the device wait meanwhile (order holds). <b>Default:</b> 100 ms. Must be positive, and
    /// all delays together at most <see cref="MaxTotalRetryDelay"/>.
    /// </summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// When true a message that still fails after the retries is answered with
    /// <see cref="ProcessingFailed"/> instead of being parked: the connection leaves it unaccepted, the
    /// platform redelivers it later (about once a minute when it blocks the backlog), and the device
    /// tries it again because its messageId is not remembered. <b>Default:</b> false (park and accept).
    /// </summary>
    public bool LeaveFailedUnaccepted { get; set; }

    /// <summary>
    /// A device actor with no message for this long is passivated (stopped) by its region — the shard, or the local
    /// router —, which checks every half of this, so an idle device stops between 1 and 1.5 times this after its last
    /// message; messages that arrive meanwhile are buffered and start a new incarnation, which recovers state, counters
    /// and the messageId window from the journal.
    /// <b>Default:</b> 2 minutes. Range 1 ms – 1 day.
    /// </summary>
    public TimeSpan PassivateAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A device actor saves a snapshot of its state every this many journal events and deletes older
    /// events and snapshots, so a new incarnation replays at most this many events. Lower means faster
    /// recovery and more snapshot writes (each holds the whole state and messageId window).
    /// <b>Default:</b> 100. Range 1–100,000.
    /// </summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>
    /// Each device takes its snapshots at an offset of its own within the <see cref="SnapshotEvery"/> cycle (from a
    /// stable hash of its ID), so that devices which start counting together — a new deployment, a fresh store, an
    /// even load — do not all snapshot, and delete the events their snapshots cover, at the same moment. Recovery still
    /// replays at most <see cref="SnapshotEvery"/> events. <c>false</c>: snapshots at multiples of
    /// <see cref="SnapshotEvery"/>. <b>Default:</b> <c>true</c>.
    /// </summary>
    public bool SpreadSnapshots { get; set; } = true;

    /// <summary>
    /// After each snapshot the events it covers are deleted (older snapshots always are), so the journal holds about
    /// <see cref="SnapshotEvery"/> events per device. <c>false</c> keeps every event — a device's full history for audit or
    /// replay by other readers — at the cost of a journal that grows with every message; on SQLite it also saves the
    /// deletions' page writes (see BENCHMARKS.md). Recovery is the same either way: the newest snapshot, then the events
    /// after it. <b>Default:</b> <c>true</c>.
    /// </summary>
    public bool DeleteEventsOnSnapshot { get; set; } = true;

    /// <summary>
    /// When state is written: <see cref="DeviceStateWrites.EveryMessage"/> (a journal event per message, before the
    /// reply) or, with the in-memory store only, <see cref="DeviceStateWrites.OnStop"/> (a snapshot when the actor
    /// stops or restarts). <c>iot-actors run</c> picks <c>OnStop</c> for <c>Persistence:Provider=inmemory</c>.
    /// <b>Default:</b> <see cref="DeviceStateWrites.EveryMessage"/>.
    /// </summary>
    public DeviceStateWrites StateWrites { get; set; } = DeviceStateWrites.EveryMessage;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (DedupeWindow is < 1 or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(DedupeWindow), DedupeWindow, "DeviceOptions.DedupeWindow must be between 1 and 100000.");
        if (MaxRetries is < 0 or > 10)
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "DeviceOptions.MaxRetries must be between 0 and 10.");
        if (RetryBackoff <= TimeSpan.Zero || RetryBackoff > MaxTotalRetryDelay)
            throw new ArgumentOutOfRangeException(nameof(RetryBackoff), RetryBackoff, $"DeviceOptions.RetryBackoff must be positive and at most {MaxTotalRetryDelay}.");
        if (TotalRetryDelay > MaxTotalRetryDelay)
            throw new ArgumentOutOfRangeException(nameof(RetryBackoff), RetryBackoff,
                $"DeviceOptions.RetryBackoff doubled over MaxRetries={MaxRetries} retries adds up to {TotalRetryDelay}; it must stay at most {MaxTotalRetryDelay} so deliveries are acknowledged well within the platform's 30 s timeout.");
        if (SnapshotEvery is < 1 or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(SnapshotEvery), SnapshotEvery, "DeviceOptions.SnapshotEvery must be between 1 and 100000.");
        if (!Enum.IsDefined(StateWrites))
            throw new ArgumentOutOfRangeException(nameof(StateWrites), StateWrites, "DeviceOptions.StateWrites must be EveryMessage or OnStop.");
        if (PassivateAfter < TimeSpan.FromMilliseconds(1) || PassivateAfter > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(PassivateAfter), PassivateAfter, "DeviceOptions.PassivateAfter must be between 1 ms and 1 day.");
    }

    /// <summary>Delay before retry number <paramref name="retry"/> (1-based): <see cref="RetryBackoff"/> × 2^(retry−1).</summary>
    public TimeSpan BackoffBefore(int retry) => TimeSpan.FromTicks(RetryBackoff.Ticks << (retry - 1));

    /// <summary>All retry delays of one message added up.</summary>
    public TimeSpan TotalRetryDelay => MaxRetries == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(RetryBackoff.Ticks * ((1L << MaxRetries) - 1));

    internal DeviceOptions Copy() => (DeviceOptions)MemberwiseClone();
}
