using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>Inserts one actor's batch of events (one <c>AtomicWrite</c> or several of one request) into the journal table.</summary>
internal sealed class JournalInsertJob(SqliteJournalTable table, IReadOnlyList<SqliteJournalRow> rows) : SqliteWriteJob
{
    public override int Rows => rows.Count;

    public override void Execute(SqliteStatements statements)
    {
        var insert = statements.Get(table.InsertSql, Declare);
        var parameters = insert.Parameters;
        foreach (var row in rows)
        {
            parameters[0].Value = row.PersistenceId;
            parameters[1].Value = row.SequenceNr;
            parameters[2].Value = row.Created;
            parameters[3].Value = row.Payload.Bytes;
            parameters[4].Value = row.Payload.Manifest;
            parameters[5].Value = row.Payload.SerializerId;
            if (table.HasWriterUuid) parameters[6].Value = (object?)row.WriterUuid ?? DBNull.Value;
            if (insert.ExecuteNonQuery() != 1)
                throw new StaleJournalWriteException(row.PersistenceId, row.SequenceNr);
        }
    }

    private void Declare(SqliteParameterCollection parameters)
    {
        parameters.Add("$pid", SqliteType.Text);
        parameters.Add("$seq", SqliteType.Integer);
        parameters.Add("$created", SqliteType.Integer);
        parameters.Add("$message", SqliteType.Blob);
        parameters.Add("$manifest", SqliteType.Text);
        parameters.Add("$identifier", SqliteType.Integer);
        if (table.HasWriterUuid) parameters.Add("$writer", SqliteType.Text);
    }
}
