namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// One event as a row of Akka.Persistence.Sql's journal table: what <see cref="JournalInsertJob"/> inserts.
/// The ordering column is left to SQLite; <c>deleted</c> is always false for a new event.
/// </summary>
/// <param name="PersistenceId">The writing actor's persistence id.</param>
/// <param name="SequenceNr">The event's sequence number within <paramref name="PersistenceId"/>.</param>
/// <param name="Created">The <c>created</c> column: UTC ticks, as Akka.Persistence.Sql writes it.</param>
/// <param name="Payload">The event as its serializer wrote it.</param>
/// <param name="WriterUuid">The journal instance that wrote the row, when the table has that column.</param>
internal readonly record struct SqliteJournalRow(string PersistenceId, long SequenceNr, long Created, SerializedPayload Payload, string? WriterUuid);
