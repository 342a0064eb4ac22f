namespace IotActors.Actors.Devices;

/// <summary>
/// When a device actor saves a snapshot: every <see cref="DeviceOptions.SnapshotEvery"/> events, at sequence numbers
/// shifted by a phase of the device's own. A fleet whose devices start counting together — a new deployment, a fresh
/// store, devices under an even load — would otherwise reach its snapshots together, and each snapshot is followed by
/// deleting the events it covers: a storm of writes that every device's next message waits behind. With a phase per
/// device the snapshots, and their deletions, are spread evenly over the cycle from the start.
/// </summary>
/// <remarks>
/// The phase comes from a stable hash of the persistence ID (the same in every process), so a device keeps its place in
/// the cycle across incarnations. Recovery still replays at most <see cref="DeviceOptions.SnapshotEvery"/> events: the
/// next due point after any snapshot is at most that many events away, whatever the phase.
/// </remarks>
internal readonly struct SnapshotSchedule
{
    private readonly int _every;
    private readonly int _phase;

    private SnapshotSchedule(int every, int phase)
    {
        _every = every;
        _phase = phase;
    }

    /// <summary>The schedule of one device; <paramref name="spread"/> false: at multiples of <paramref name="every"/>.</summary>
    public static SnapshotSchedule For(string persistenceId, int every, bool spread)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return new SnapshotSchedule(every, spread ? (int)(StableHash(persistenceId) % (uint)every) : 0);
    }

    /// <summary>The device's offset in the cycle: its first snapshot is after <c>every − phase</c> events.</summary>
    public int Phase => _phase;

    /// <summary>Whether the events up to <paramref name="lastSequenceNr"/> crossed a due point since the snapshot at <paramref name="snapshotAt"/>.</summary>
    public bool IsDue(long snapshotAt, long lastSequenceNr) => Cycle(lastSequenceNr) > Cycle(snapshotAt);

    private long Cycle(long sequenceNr) => (sequenceNr + _phase) / _every;

    // FNV-1a: string.GetHashCode differs from process to process, and a device should keep its place in the cycle.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
