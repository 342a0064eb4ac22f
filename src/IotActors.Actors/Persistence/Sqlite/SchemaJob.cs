namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>Creates tables and indexes (<see cref="SqliteJournalSchema"/>) through the writer, like every other change to the file.</summary>
internal sealed class SchemaJob(string sql) : SqliteWriteJob
{
    public override int Rows => 1;

    public override void Execute(SqliteStatements statements) => statements.Execute(sql);
}
