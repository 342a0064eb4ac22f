namespace IotActors.Actors.Persistence;

/// <summary>
/// A write below an event the journal already holds for the same actor: it comes from a stale incarnation (one that
/// recovered before another incarnation of the same persistence ID wrote further), which must not add to the history.
/// The write fails, so the incarnation stops (Akka's rule after a failed write) and its message is redelivered to the
/// current one, instead of landing where no recovery reads it.
/// </summary>
public sealed class StaleJournalWriteException(string persistenceId, long sequenceNr)
    : InvalidOperationException($"IotActors: {StaleWriteGuard.RefusalText}: {persistenceId} already has an event at or above sequence " +
        $"number {sequenceNr}, written by another incarnation")
{
    public string PersistenceId { get; } = persistenceId;

    public long SequenceNr { get; } = sequenceNr;
}
