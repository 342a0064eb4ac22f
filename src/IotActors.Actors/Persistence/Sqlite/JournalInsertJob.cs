namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>Inserts one actor's batch of events (one <c>AtomicWrite</c> or several of one request) into the journal table.</summary>
internal sealed class JournalInsertJob(SqliteJournalTable table, IReadOnlyList<SqliteJournalRow> rows) : SqliteWriteJob
{
    private static readonly string[] InsertParameters = ["$pid", "$seq", "$created", "$message", "$manifest", "$identifier"];
    private static readonly string[] InsertParametersWithWriter = [.. InsertParameters, "$writer"];
    private static readonly string[] TakenParameters = ["$pid", "$seq"];

    public override int Rows => rows.Count;

    public override void Execute(SqliteStatements statements)
    {
        // SQLite's own API: run once per event, a SqliteCommand would allocate ~0.5 KB per statement (SqliteRawStatement).
        var insert = statements.Raw(table.InsertSql, table.HasWriterUuid ? InsertParametersWithWriter : InsertParameters);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            // An actor writes only above every row it has (SqliteJournalTable.TakenSql). Checked for the first row of each
            // actor's ascending run: the rows after it are above it, and it is above everything else.
            if (i == 0 || row.PersistenceId != rows[i - 1].PersistenceId || row.SequenceNr <= rows[i - 1].SequenceNr)
                RefuseIfTaken(statements, row);
            insert.Bind(0, row.PersistenceId);
            insert.Bind(1, row.SequenceNr);
            insert.Bind(2, row.Created);
            insert.Bind(3, row.Payload.Bytes);
            insert.Bind(4, row.Payload.Manifest);
            insert.Bind(5, row.Payload.SerializerId);
            if (table.HasWriterUuid) insert.Bind(6, row.WriterUuid);
            insert.Step();
        }
    }

    private void RefuseIfTaken(SqliteStatements statements, SqliteJournalRow row)
    {
        var taken = statements.Raw(table.TakenSql, TakenParameters);
        taken.Bind(0, row.PersistenceId);
        taken.Bind(1, row.SequenceNr);
        if (taken.Step()) throw new StaleJournalWriteException(row.PersistenceId, row.SequenceNr);
    }
}
