namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// A write below an event the journal already holds for the same actor: it comes from a stale incarnation (one that
/// recovered before another incarnation of the same persistence ID wrote further), which must not add to the history.
/// The write fails, so the incarnation stops (Akka's rule after a failed write) and its message is redelivered to the
/// current one, instead of landing where no recovery reads it.
/// </summary>
public sealed class StaleJournalWriteException(string persistenceId, long sequenceNr)
    : InvalidOperationException($"Journal write of {persistenceId} at sequence number {sequenceNr} refused: the journal already holds " +
        "that number or a higher one for this persistence ID, written by another incarnation of the actor.")
{
    public string PersistenceId { get; } = persistenceId;

    public long SequenceNr { get; } = sequenceNr;
}
