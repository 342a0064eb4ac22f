using IotActors.Actors.Persistence;
using IotActors.Actors.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Tests.Persistence.Sqlite;

/// <summary>
/// The group-commit writer against a real SQLite file with Akka.Persistence.Sql's journal table. Queued writes are
/// made to pile up deterministically by holding SQLite's write lock from a second connection while they are submitted.
/// </summary>
public sealed class SqliteGroupCommitWriterTests : IDisposable
{
    /// <summary>Akka.Persistence.Sql's journal and tag tables as the writer meets them (also used by <see cref="SqliteCheckpointerTests"/>).</summary>
    internal const string Schema = """
        CREATE TABLE journal (
            ordering INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, created INTEGER NOT NULL, deleted Bit NOT NULL,
            persistence_id NVarChar(255) NOT NULL, sequence_number INTEGER NOT NULL, message VarBinary NOT NULL,
            manifest NVarChar(500) NULL, identifier INTEGER NULL, writer_uuid NVarChar(128) NULL);
        CREATE UNIQUE INDEX journal_uq ON journal (persistence_id, sequence_number);
        CREATE TABLE tags (ordering_id INTEGER NOT NULL, tag NVarChar(64) NOT NULL, sequence_nr INTEGER NOT NULL,
            persistence_id NVarChar(255) NOT NULL, CONSTRAINT PK_tags PRIMARY KEY (ordering_id, tag));
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iotactors-writer-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _connectionString;
    /// <summary>The statements for the plugin's default journal configuration.</summary>
    internal static readonly SqliteJournalTable Table = SqliteJournalTable.From(new Akka.Persistence.Sql.Config.JournalConfig(
        Akka.Persistence.Sql.SqlPersistence.DefaultJournalConfiguration).TableConfig);

    public SqliteGroupCommitWriterTests()
    {
        Directory.CreateDirectory(_directory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "journal.db") }.ToString();
        Execute(DevicePersistenceHostingExtensions.SqlitePragmas(SqliteSynchronous.Full) + Schema);
    }

    private SqliteGroupCommitWriter Writer(int maxBatchRows = 1000) =>
        new(_connectionString, DevicePersistenceHostingExtensions.SqlitePragmas(SqliteSynchronous.Full), maxBatchRows);

    /// <summary>A writer on the test's clock (milliseconds), which moves only when the test moves it.</summary>
    private SqliteGroupCommitWriter Writer(Func<long> clockMs) =>
        new(_connectionString, DevicePersistenceHostingExtensions.SqlitePragmas(SqliteSynchronous.Full), 1000, clockMs);

    private static JournalInsertJob Insert(string persistenceId, params long[] sequenceNrs) =>
        new(Table, sequenceNrs.Select(n => Row(persistenceId, n)).ToList());

    private static SqliteJournalRow Row(string persistenceId, long sequenceNr) =>
        new(persistenceId, sequenceNr, 1, new SerializedPayload([1, 2, 3], "E", 99), "writer-1");

    [Fact]
    public async Task Writes_that_queue_during_a_commit_are_committed_together()
    {
        using var writer = Writer();
        Task[] writes;
        using (var blocker = Open())
        {
            using var lockHolder = blocker.BeginTransaction(); // BEGIN IMMEDIATE: the writer's first transaction waits for it
            writes = Enumerable.Range(0, 50).Select(i => writer.Submit(Insert($"device-{i}", 1, 2))).ToArray();
            lockHolder.Rollback();
        }
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));

        // The first transaction may have taken only the first write; everything else queued behind it.
        Assert.InRange(writer.Commits, 1, 2);
        Assert.Equal(50, writer.JobsCommitted);
        Assert.Equal(100L, Scalar("SELECT COUNT(*) FROM journal WHERE deleted = 0"));
    }

    [Fact]
    public async Task A_write_SQLite_refuses_fails_alone_and_the_others_in_its_transaction_are_committed()
    {
        Execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON journal WHEN NEW.persistence_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poison refused'); END;");
        using var writer = Writer();
        Task good1, poison, good2;
        using (var blocker = Open())
        {
            using var lockHolder = blocker.BeginTransaction();
            good1 = writer.Submit(Insert("device-a", 1, 2));
            poison = writer.Submit(Insert("poison", 1));
            good2 = writer.Submit(Insert("device-b", 1));
            lockHolder.Rollback();
        }

        await good1.WaitAsync(TimeSpan.FromSeconds(30));
        await good2.WaitAsync(TimeSpan.FromSeconds(30));
        var refused = await Assert.ThrowsAsync<SqliteException>(() => poison.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("poison refused", refused.Message);
        Assert.Equal(3L, Scalar("SELECT COUNT(*) FROM journal"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM journal WHERE persistence_id = 'poison'"));
    }

    [Fact]
    public async Task An_actors_write_is_all_or_nothing()
    {
        using var writer = Writer();
        await writer.Submit(Insert("device-a", 1, 2)).WaitAsync(TimeSpan.FromSeconds(30));

        // Sequence number 2 exists: the journal refuses the write (nothing at or below a row the actor has), and its
        // row 3 must not be left behind.
        await Assert.ThrowsAsync<StaleJournalWriteException>(() => writer.Submit(Insert("device-a", 3, 2)).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM journal WHERE persistence_id = 'device-a'"));

        // The writer goes on (on a fresh connection) after a refusal.
        await writer.Submit(Insert("device-a", 3)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3L, Scalar("SELECT MAX(sequence_number) FROM journal WHERE persistence_id = 'device-a'"));
    }

    [Fact]
    public async Task Each_actors_rows_in_one_write_are_checked_against_that_actors_own_rows()
    {
        using var writer = Writer();
        await writer.Submit(Insert("device-b", 1, 2, 3)).WaitAsync(TimeSpan.FromSeconds(30));

        // device-a's run is above everything device-a has; device-b's starts below device-b's highest row.
        var rows = new List<SqliteJournalRow> { Row("device-a", 1), Row("device-a", 2), Row("device-b", 2), Row("device-b", 4) };
        var refused = await Assert.ThrowsAsync<StaleJournalWriteException>(() => writer.Submit(new JournalInsertJob(Table, rows)).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(("device-b", 2L), (refused.PersistenceId, refused.SequenceNr));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM journal WHERE persistence_id = 'device-a'"));

        await writer.Submit(new JournalInsertJob(Table, [Row("device-a", 1), Row("device-b", 4), Row("device-b", 5)])).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("1:0", Rows("device-a"));
        Assert.Equal("1:0,2:0,3:0,4:0,5:0", Rows("device-b"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_journals_insert_and_its_check_build_no_temporary_table(bool insert)
    {
        // An insert whose condition reads its own table (INSERT … SELECT … WHERE NOT EXISTS) makes SQLite fill a
        // temporary table for every row: a pager opened and closed per event on the writer's thread.
        using var connection = Open();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN " + (insert ? Table.InsertSql : Table.TakenSql);
        foreach (var name in new[] { "$pid", "$seq", "$created", "$message", "$manifest", "$identifier", "$writer" })
            if (explain.CommandText.Contains(name)) explain.Parameters.AddWithValue(name, 1);
        using var reader = explain.ExecuteReader();
        var opcodes = new List<string>();
        while (reader.Read()) opcodes.Add(reader.GetString(1));
        Assert.Contains(insert ? "Insert" : "SeekGE", opcodes);
        Assert.DoesNotContain("OpenEphemeral", opcodes);
        Assert.DoesNotContain("OpenAutoindex", opcodes);
    }

    [Fact]
    public async Task Deleting_up_to_a_sequence_number_keeps_only_the_highest_deleted_row_and_the_later_events()
    {
        using var writer = Writer();
        await writer.Submit(Insert("device-a", 1, 2, 3, 4, 5)).WaitAsync(TimeSpan.FromSeconds(30));
        await writer.Submit(Insert("device-b", 1, 2)).WaitAsync(TimeSpan.FromSeconds(30));

        await writer.Submit(new DeleteUpToJob(Table.DeleteToSql, "device-a", 3)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("3:1,4:0,5:0", Rows("device-a"));
        Assert.Equal("1:0,2:0", Rows("device-b"));

        // A later deletion removes the row kept by the earlier one; a bound past the end keeps the highest row.
        await writer.Submit(new DeleteUpToJob(Table.DeleteToSql, "device-a", 9)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("5:1", Rows("device-a"));
    }

    [Fact]
    public async Task Deletions_are_set_aside_for_a_second_even_when_the_writer_is_idle_then_go_in_one_transaction()
    {
        long now = 0;
        using var writer = Writer(() => Interlocked.Read(ref now));
        var log = new List<string>();
        var chores = Enumerable.Range(0, 5).Select(i => writer.Submit(new RecordingJob(log, $"delete{i}", housekeeping: true))).ToList();
        await writer.Submit(new RecordingJob(log, "write", housekeeping: false)).WaitAsync(TimeSpan.FromSeconds(30));

        // The clock has not moved: the write went alone and the deletions wait, however idle the writer is.
        Assert.Equal(["write"], Snapshot(log));
        Assert.All(chores, chore => Assert.False(chore.IsCompleted));

        Interlocked.Add(ref now, 1_000);
        await Task.WhenAll(chores).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["write", "delete0", "delete1", "delete2", "delete3", "delete4"], Snapshot(log));
        Assert.Equal(2, writer.Commits);
    }

    [Theory]
    [InlineData(1_000, 3)] // due: 16 at a time (16 + 16 + 8)
    [InlineData(3_000, 1)] // behind: all 40 at once
    public async Task Due_deletions_go_a_few_per_transaction_unless_they_have_fallen_behind(long waited, int commits)
    {
        long now = 0;
        using var writer = Writer(() => Interlocked.Read(ref now));
        var log = new List<string>();
        var chores = Enumerable.Range(0, 40).Select(i => writer.Submit(new RecordingJob(log, $"delete{i}", housekeeping: true))).ToList();
        // The writer takes jobs in order: once the write queued after them is committed (alone: the clock has not moved),
        // every deletion is set aside, and none can go before the clock moves.
        await writer.Submit(new RecordingJob(log, "write", housekeeping: false)).WaitAsync(TimeSpan.FromSeconds(30));

        Interlocked.Add(ref now, waited);
        await Task.WhenAll(chores).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"delete{i}").Prepend("write"), Snapshot(log));
        Assert.Equal(1 + commits, writer.Commits);
    }

    [Fact]
    public async Task Deletions_not_yet_due_are_committed_when_the_writer_stops()
    {
        long now = 0;
        var log = new List<string>();
        List<Task> chores;
        using (var writer = Writer(() => Interlocked.Read(ref now)))
            chores = Enumerable.Range(0, 3).Select(i => writer.Submit(new RecordingJob(log, $"delete{i}", housekeeping: true))).ToList();

        await Task.WhenAll(chores).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["delete0", "delete1", "delete2"], Snapshot(log));
    }

    private static List<string> Snapshot(List<string> log)
    {
        lock (log) return [.. log];
    }

    [Fact]
    public async Task Deletions_that_waited_a_second_go_in_bulk_with_the_next_transaction_of_writes()
    {
        long now = 0;
        using var writer = Writer(() => Interlocked.Read(ref now));
        var log = new List<string>();
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var first = writer.Submit(new RecordingJob(log, "first", housekeeping: false, entered, gate));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));

        var chores = Enumerable.Range(0, 5).Select(i => writer.Submit(new RecordingJob(log, $"delete{i}", housekeeping: true))).ToList();
        Interlocked.Add(ref now, 1_000); // the deletions have waited their second (the journal's call timeout is 10 s)
        var write = writer.Submit(new RecordingJob(log, "write", housekeeping: false));
        gate.Set();
        await Task.WhenAll(chores.Append(write).Append(first)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["first", "write", "delete0", "delete1", "delete2", "delete3", "delete4"], log);
        Assert.Equal(2, writer.Commits);
    }

    /// <summary>A job that records when it runs and, given a gate, holds the writer inside its transaction until released.</summary>
    [Theory]
    [InlineData(1_000, false)]
    [InlineData(100_000, true)]
    public async Task The_log_is_copied_into_the_database_only_after_the_chosen_number_of_pages(int checkpointPages, bool logKeepsEverything)
    {
        using var writer = new SqliteGroupCommitWriter(_connectionString, DevicePersistenceHostingExtensions.SqlitePragmas(SqliteSynchronous.Full, checkpointPages), 1000);
        // 60 transactions of 50 events of 4 KiB: over 3,000 pages of log, each event on pages of its own.
        var payload = new byte[4096];
        for (var t = 0; t < 60; t++)
        {
            var device = $"device-{t}";
            var rows = Enumerable.Range(1, 50)
                .Select(n => new SqliteJournalRow(device, n, 1, new SerializedPayload(payload, "E", 99), "writer-1"))
                .ToList();
            await writer.Submit(new JournalInsertJob(Table, rows)).WaitAsync(TimeSpan.FromSeconds(30));
        }

        // While the writer's connection is open (the last connection to close would checkpoint everything): wal_checkpoint answers (busy, frames in the log, frames copied). SQLite's own default (1,000) restarts the log
        // every ~1,000 pages; with 100,000 it still holds every page written.
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var framesInLog = reader.GetInt64(1);
        if (logKeepsEverything) Assert.True(framesInLog > 3_000, $"{framesInLog} frames in the log");
        else Assert.True(framesInLog is > 0 and < 2_000, $"{framesInLog} frames in the log");
    }

    private sealed class RecordingJob(List<string> log, string name, bool housekeeping, ManualResetEventSlim? entered = null, ManualResetEventSlim? gate = null) : SqliteWriteJob
    {
        public override int Rows => 1;

        public override bool IsHousekeeping => housekeeping;

        public override void Execute(SqliteStatements statements)
        {
            lock (log) log.Add(name);
            entered?.Set();
            gate?.Wait(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Stopping_commits_what_is_queued_and_later_writes_fail_with_a_reason()
    {
        var writer = Writer();
        Task queued;
        using (var blocker = Open())
        {
            using var lockHolder = blocker.BeginTransaction();
            queued = writer.Submit(Insert("device-a", 1));
            lockHolder.Rollback();
        }
        writer.Dispose();

        Assert.True(queued.IsCompletedSuccessfully);
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM journal"));
        var refused = await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.Submit(Insert("device-a", 2)));
        Assert.Contains("not made", refused.Message);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {DevicePersistenceHostingExtensions.SqliteBusyTimeoutMs};";
        command.ExecuteNonQuery();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private string Rows(string persistenceId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_number, deleted FROM journal WHERE persistence_id = $pid ORDER BY sequence_number";
        command.Parameters.AddWithValue("$pid", persistenceId);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetInt64(0)}:{reader.GetInt64(1)}");
        return string.Join(",", rows);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
