using IotActors.Actors.Persistence;
using IotActors.Actors.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Tests.Persistence.Sqlite;

/// <summary>The background checkpoints against a real SQLite file, beside the group-commit writer.</summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly TempSqliteFile _file = new("iotactors-checkpointer", SqliteGroupCommitWriterTests.Schema);

    [Fact]
    public async Task The_log_reaches_the_database_file_while_the_writer_never_checkpoints_itself()
    {
        // A log limit the writer never reaches: without background checkpoints every page stays in the log.
        var pragmas = DevicePersistenceHostingExtensions.SqlitePragmas(SqliteSynchronous.Full, checkpointPages: 100_000);
        using var writer = new SqliteGroupCommitWriter(_file.ConnectionString, pragmas, 1000);
        await WriteAsync(writer, transactions: 10);
        var before = new FileInfo(_file.Path).Length;
        Assert.True(before < 200_000, $"the database file holds {before} bytes before any checkpoint");

        using var checkpointer = new SqliteCheckpointer(_file.ConnectionString, pragmas, () => writer.Commits);
        // 10 transactions of 50 events of 4 KiB: ~2 MB of pages, copied into the file by the checkpointer's next pass.
        // The file grows while a pass copies; the pass counts once it returned.
        await Eventually(() => new FileInfo(_file.Path).Length > 1_500_000 && checkpointer.Passes >= 1, "the log to be copied into the database file");

        // The writer keeps committing beside it, and what it commits later is copied too.
        var copied = new FileInfo(_file.Path).Length;
        await WriteAsync(writer, transactions: 10, firstDevice: 10);
        await Eventually(() => new FileInfo(_file.Path).Length > copied + 1_500_000, "the later writes to be copied");
        Assert.Equal(1_000L, Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Background_checkpoints_are_on_unless_the_options_turn_them_off(bool on)
    {
        var options = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = Path.Combine(_file.Directory, "node"), SqliteBackgroundCheckpoints = on };
        Assert.True(new DevicePersistenceOptions().SqliteBackgroundCheckpoints);
        await using var node = await DeviceNode.StartAsync(options);

        Assert.Equal(on, SqliteWriterExtension.For(node.System).Checkpointer is not null);
    }

    private async Task WriteAsync(SqliteGroupCommitWriter writer, int transactions, int firstDevice = 0)
    {
        var payload = new byte[4096];
        for (var t = firstDevice; t < firstDevice + transactions; t++)
        {
            var device = $"device-{t}";
            var rows = Enumerable.Range(1, 50).Select(n => new SqliteJournalRow(device, n, 1, new SerializedPayload(payload, "E", 99), "writer-1")).ToList();
            await writer.Submit(new JournalInsertJob(SqliteGroupCommitWriterTests.Table, rows)).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private long Count()
    {
        using var connection = new SqliteConnection(_file.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after 30 s (a bounded wait, not a sleep to synchronise).</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 30 s for {what}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _file.Dispose();
}
