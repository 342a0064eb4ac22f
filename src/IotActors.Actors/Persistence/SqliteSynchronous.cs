namespace IotActors.Actors.Persistence;

/// <summary>
/// SQLite's <c>synchronous</c> setting for the device journal (<see cref="DevicePersistenceOptions.SqliteSynchronous"/>),
/// with the journal in WAL mode.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// Every commit waits for the disk (an <c>fsync</c> of the log): a delivery accepted after its event was written
    /// survives a power loss or an operating-system crash.
    /// </summary>
    Full,

    /// <summary>
    /// Commits do not wait for the disk (it is synced at checkpoints): a crash of the process loses nothing, but a
    /// power loss or an operating-system crash can lose the last commits — deliveries already accepted, which the
    /// platform will not redeliver. The database is never corrupted. Several times the write rate on a disk with slow
    /// syncs (BENCHMARKS.md).
    /// </summary>
    Normal,
}
