using IotActors.Actors.Persistence;
using IotActors.Actors.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Tests.Persistence.Sqlite;

/// <summary>The pool of read connections recovery uses, against a real SQLite file.</summary>
public sealed class SqliteReadersTests : IDisposable
{
    private readonly TempSqliteFile _file = new("iotactors-readers", "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (7);");

    private SqliteReaders Readers() => new(_file.ConnectionString, DevicePersistenceHostingExtensions.SqlitePragmas(SqliteSynchronous.Full));

    private static long Value(SqliteStatements statements) => (long)statements.Get("SELECT v FROM t", static _ => { }).ExecuteScalar()!;

    [Fact]
    public void A_connection_is_reused_by_the_next_read()
    {
        using var readers = Readers();
        var first = readers.Read(s => s.Connection);
        var second = readers.Read(s => s.Connection);

        Assert.Same(first, second);
        Assert.Equal(7, readers.Read(Value));
    }

    [Fact]
    public void A_read_that_fails_closes_its_connection_and_the_next_read_gets_a_fresh_one()
    {
        using var readers = Readers();
        SqliteConnection? failed = null;

        Assert.Throws<SqliteException>(() => readers.Read(s =>
        {
            failed = s.Connection;
            return s.Get("SELECT v FROM no_such_table", static _ => { }).ExecuteScalar();
        }));

        Assert.Equal(System.Data.ConnectionState.Closed, failed!.State);
        Assert.NotSame(failed, readers.Read(s => s.Connection));
        Assert.Equal(7, readers.Read(Value));
    }

    [Fact]
    public void A_read_sees_the_last_commit_while_another_connection_holds_the_write_lock()
    {
        using var readers = Readers();
        using var writer = new SqliteConnection(_file.ConnectionString);
        writer.Open();
        using var transaction = writer.BeginTransaction(deferred: false);
        using (var update = writer.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE t SET v = 8";
            update.ExecuteNonQuery();
        }

        Assert.Equal(7, readers.Read(Value)); // not waiting for the lock, not seeing the uncommitted 8
        transaction.Commit();
        Assert.Equal(8, readers.Read(Value));
    }

    [Fact]
    public void Reads_after_dispose_are_refused()
    {
        var readers = Readers();
        var connection = readers.Read(s => s.Connection);
        readers.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        Assert.Throws<ObjectDisposedException>(() => readers.Read(Value));
    }

    public void Dispose() => _file.Dispose();
}
