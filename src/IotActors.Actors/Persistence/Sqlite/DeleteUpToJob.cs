using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// Deletes an actor's rows up to a sequence number with the given statements, in order (each binds <c>$pid</c> and
/// <c>$to</c>): events with <see cref="SqliteJournalTable.DeleteToSql"/>, snapshots with
/// <see cref="SqliteSnapshotTable.DeleteToSql"/>.
/// </summary>
internal sealed class DeleteUpToJob(IReadOnlyList<string> sql, string persistenceId, long toSequenceNr) : SqliteWriteJob
{
    public override int Rows => 1;

    /// <summary>A deletion is housekeeping: the device does not wait for it.</summary>
    public override bool IsHousekeeping => true;

    public override void Execute(SqliteStatements statements)
    {
        foreach (var text in sql)
        {
            var command = statements.Get(text, Declare);
            command.Parameters[0].Value = persistenceId;
            command.Parameters[1].Value = toSequenceNr;
            command.ExecuteNonQuery();
        }
    }

    private static void Declare(SqliteParameterCollection parameters)
    {
        parameters.Add("$pid", SqliteType.Text);
        parameters.Add("$to", SqliteType.Integer);
    }
}
