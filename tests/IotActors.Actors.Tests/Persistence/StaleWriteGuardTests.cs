using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using IotActors.Actors.Persistence;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>
/// The journal table's trigger on its own, on a table of the plugin's shape: what it refuses, what it lets through, and
/// that nodes installing it at once agree (the device-level scenario is in <see cref="DurableDeviceScenarios"/>).
/// </summary>
public sealed class StaleWriteGuardTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _sqliteFile = Path.Combine(Path.GetTempPath(), "iotactors-guard-" + Guid.NewGuid().ToString("N")[..12] + ".db");

    private static JournalTableConfig Table(string name) => new(
        ConfigurationFactory.ParseString($"default.journal.table-name = \"{name}\"").WithFallback(SqlPersistence.DefaultJournalConfiguration));

    [Fact]
    public void Only_sqlite_and_postgresql_have_a_guard()
    {
        Assert.True(StaleWriteGuard.Supports(ProviderName.SQLiteMS));
        Assert.True(StaleWriteGuard.Supports(ProviderName.PostgreSQL15));
        Assert.False(StaleWriteGuard.Supports(ProviderName.SqlServer2022));
        Assert.Throws<NotSupportedException>(() => StaleWriteGuard.Sql(ProviderName.SqlServer2022, Table("journal")));
    }

    [Fact]
    public void Sqlite_refuses_a_write_at_or_below_the_actors_highest_row_and_admits_the_next()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _sqliteFile, Pooling = false }.ToString());
        connection.Open();
        Run(connection, """CREATE TABLE "my journal" (persistence_id TEXT NOT NULL, sequence_number INTEGER NOT NULL, UNIQUE (persistence_id, sequence_number))""");
        var guard = StaleWriteGuard.Sql(ProviderName.SQLiteMS, Table("my journal"));
        Run(connection, guard);
        Run(connection, guard); // every journal start runs it again

        Run(connection, """INSERT INTO "my journal" VALUES ('a', 19), ('a', 20), ('b', 3)""");
        foreach (var refused in new[] { 5L, 19L, 20L })
        {
            var error = Assert.Throws<SqliteException>(() => Run(connection, $"""INSERT INTO "my journal" VALUES ('a', {refused})"""));
            Assert.Contains(StaleWriteGuard.RefusalText, error.Message);
        }
        Run(connection, """INSERT INTO "my journal" VALUES ('a', 21), ('b', 4), ('c', 1)""");
        Assert.Equal(6L, Scalar(connection, """SELECT COUNT(*) FROM "my journal" """));
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"));
    }

    [SkippableFact]
    public async Task Postgresql_installs_once_when_nodes_start_together_and_refuses_a_write_below_the_actors_highest_row()
    {
        postgres.Require();
        var table = "journal_" + Guid.NewGuid().ToString("N")[..8];
        await using var source = NpgsqlDataSource.Create(postgres.ConnectionString);
        await using (var create = source.CreateCommand($"CREATE TABLE {table} (persistence_id TEXT NOT NULL, sequence_number BIGINT NOT NULL, UNIQUE (persistence_id, sequence_number))"))
            await create.ExecuteNonQueryAsync();

        // Four nodes starting at once each run the installation in a transaction of their own.
        var guard = StaleWriteGuard.Sql(ProviderName.PostgreSQL15, Table(table));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var connection = await source.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var install = new NpgsqlCommand(guard, connection, transaction)) await install.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        })));
        Assert.Equal(1L, await Scalar(source, $"SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = '{table}'::regclass AND NOT tgisinternal"));

        await Execute(source, $"INSERT INTO {table} VALUES ('a', 19), ('a', 20), ('b', 3)");
        foreach (var refused in new[] { 5L, 19L, 20L })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => Execute(source, $"INSERT INTO {table} VALUES ('a', {refused})"));
            Assert.Contains(StaleWriteGuard.RefusalText, error.MessageText);
            Assert.Contains($"a already has an event at or above sequence number {refused}", error.MessageText);
        }
        // COPY is how the plugin inserts a batch: the trigger fires for it too.
        await using (var connection = await source.OpenConnectionAsync())
        {
            var error = await Assert.ThrowsAsync<PostgresException>(async () =>
            {
                await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} (persistence_id, sequence_number) FROM STDIN (FORMAT BINARY)");
                await copy.WriteRowAsync(default, "b", 4L);
                await copy.WriteRowAsync(default, "a", 6L);
                await copy.CompleteAsync();
            });
            Assert.Contains(StaleWriteGuard.RefusalText, error.MessageText);
        }
        await Execute(source, $"INSERT INTO {table} VALUES ('a', 21), ('b', 4), ('c', 1)");
        Assert.Equal(6L, await Scalar(source, $"SELECT COUNT(*) FROM {table}"));
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static async Task Execute(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            if (File.Exists(file)) File.Delete(file);
    }
}
