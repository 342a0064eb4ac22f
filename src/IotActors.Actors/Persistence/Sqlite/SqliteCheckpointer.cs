using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file on a thread and connection of its own, a little at a time, so that
/// the writer's commits do not wait for it. Left to the writer, a checkpoint runs inside the commit that crosses the
/// log size (<c>wal_autocheckpoint</c>): the whole log copied and synced while every write waits, the largest part of
/// the durable p99 (BENCHMARKS.md, round 7).
/// </summary>
/// <remarks>
/// Passive checkpoints never take the write lock, so the writer keeps committing while one runs. The writer keeps its
/// own <c>wal_autocheckpoint</c> as the bound on the log: it still checkpoints when the log reaches that size, but finds
/// most pages already copied, and only a checkpoint that has copied everything lets the next commit start the log from
/// its beginning again. Under steady load no passive pass catches up (the writer appends while it copies), so that
/// commit's checkpoint is a stall of its own — what is left since the last pass, and a sync of the database file — once
/// per log's worth of pages; a larger bound makes it rarer (BENCHMARKS.md, round 16). Tried and not kept: a restarting
/// checkpoint from this thread once the log is a quarter or half full, which waits for the writer and then holds it.
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>Time between passes; a pass with nothing new committed since the last one does nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly string _connectionString;
    private readonly string _onOpen;
    private readonly Func<long> _commits;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _passes;

    /// <param name="connectionString">The SQLite database.</param>
    /// <param name="onOpen">SQL run on the connection it opens (the store's pragmas).</param>
    /// <param name="commits">The writer's count of commits: a pass runs only when it moved.</param>
    public SqliteCheckpointer(string connectionString, string onOpen, Func<long> commits)
    {
        _connectionString = connectionString;
        _onOpen = onOpen;
        _commits = commits;
        // A thread of its own: a checkpoint blocks in SQLite (copies and a sync) and must not hold a pool thread.
        _thread = new Thread(Run) { IsBackground = true, Name = "iotactors-sqlite-checkpointer" };
        _thread.Start();
    }

    /// <summary>Checkpoints run so far (for tests).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }

    private void Run()
    {
        SqliteStatements? connection = null;
        var seen = -1L;
        try
        {
            while (!_stop.Token.WaitHandle.WaitOne(Interval))
            {
                var commits = _commits();
                if (commits == seen) continue;
                try
                {
                    connection ??= SqliteStatements.Open(_connectionString, _onOpen);
                    using var checkpoint = connection.Connection.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    checkpoint.ExecuteNonQuery();
                    seen = commits;
                    Interlocked.Increment(ref _passes);
                }
                catch (SqliteException)
                {
                    // Best effort: the writer's own checkpoints still bound the log. Try again on a fresh connection.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
