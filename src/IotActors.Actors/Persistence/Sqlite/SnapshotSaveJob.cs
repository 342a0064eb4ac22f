using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>Saves (or replaces) one snapshot, as Akka.Persistence.Sql's snapshot store does.</summary>
internal sealed class SnapshotSaveJob(SqliteSnapshotTable table, string persistenceId, long sequenceNr, long createdTicks, SerializedPayload snapshot) : SqliteWriteJob
{
    public override int Rows => 1;

    public override void Execute(SqliteStatements statements)
    {
        var save = statements.Get(table.SaveSql, Declare);
        var parameters = save.Parameters;
        parameters[0].Value = persistenceId;
        parameters[1].Value = sequenceNr;
        parameters[2].Value = createdTicks;
        parameters[3].Value = snapshot.Bytes;
        parameters[4].Value = snapshot.Manifest;
        parameters[5].Value = snapshot.SerializerId;
        save.ExecuteNonQuery();
    }

    private static void Declare(SqliteParameterCollection parameters)
    {
        parameters.Add("$pid", SqliteType.Text);
        parameters.Add("$seq", SqliteType.Integer);
        parameters.Add("$created", SqliteType.Integer);
        parameters.Add("$snapshot", SqliteType.Blob);
        parameters.Add("$manifest", SqliteType.Text);
        parameters.Add("$serializer", SqliteType.Integer);
    }
}
