using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// The one writer of a SQLite journal: runs write jobs on one thread and one connection, committing every job that
/// queued while the previous commit ran in a single transaction (group commit). A commit's cost is dominated by its
/// sync of the log, not by its rows, so under load the sync is shared by many writes; with no load a job is committed
/// at once, alone. One writer also means no two of our connections wait for SQLite's write lock.
/// <para>
/// Housekeeping (deletions: nobody waits for them) is set aside for a second and then done a few at a time with the
/// transactions of writes, so that it neither rides on every commit nor holds writes up in large batches.
/// </para>
/// <para>
/// A job is all-or-nothing (one actor's batch of events, one deletion): its task completes when the transaction
/// holding it is committed, or fails with the reason it was not. When a shared transaction fails, each of its jobs is
/// retried in a transaction of its own, so one job SQLite refuses (a duplicate sequence number) fails only itself.
/// </para>
/// Knows nothing of actors: the journal plugin hands it jobs of serialized rows.
/// </summary>
internal sealed class SqliteGroupCommitWriter : IDisposable
{
    /// <summary>How long <see cref="Dispose"/> waits for queued jobs to be committed before failing the rest.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long housekeeping (deletions: nobody waits for them) is set aside before it is done. Deleting an actor's old
    /// events costs a page of the table per event, because rows lie in write order, interleaved across devices. Until
    /// round 12 deletions ran as they came — two with every transaction of writes and 64 at a time whenever the queue was
    /// empty — and cost the durable pipeline about a third of its rate: the idle-time batches held up the writes that
    /// arrived meanwhile, and nearly every commit carried deletions. Set aside, they follow the writes in small groups
    /// (<see cref="HousekeepingPerTransaction"/>). A second stays well within the call timeout (Akka.Persistence.Sql:
    /// 10 s) of the journal's circuit breaker, which deletions go through like writes.
    /// </summary>
    private const long HousekeepingDueAfterMs = 1_000;

    /// <summary>
    /// Most housekeeping jobs in one transaction once due, with the writes queued at that moment. Each deletion adds a
    /// few milliseconds to its transaction, and every write queued behind waits for it: in the bench, 1,024 at a time
    /// (a second's worth in one transaction) stalled the writes for ~100 ms and put the p99 at 80 % of the rate at
    /// 110–130 ms; 64 at 58–68 ms; 16 at ~50 ms, at the same rate (BENCHMARKS.md, round 12).
    /// </summary>
    private const int HousekeepingPerTransaction = 16;

    /// <summary>
    /// When the oldest housekeeping job has waited this long, housekeeping has fallen behind (a storm of snapshots, a
    /// fleet whose devices snapshot together) and goes <see cref="HousekeepingWhenBehind"/> at a time, so that no
    /// deletion waits anywhere near the journal's 10 s call timeout: timed-out calls open its circuit breaker for writes too.
    /// </summary>
    private const long HousekeepingBehindAfterMs = 3_000;

    /// <summary>Housekeeping jobs per transaction once behind (<see cref="HousekeepingBehindAfterMs"/>).</summary>
    private const int HousekeepingWhenBehind = 512;

    /// <summary>Longest wait for a write while housekeeping is set aside: the clock is read again after it.</summary>
    private const int HousekeepingPollMs = 100;

    private readonly string _connectionString;
    private readonly string _onOpen;
    private readonly int _maxBatchRows;
    private readonly BlockingCollection<SqliteWriteJob> _queue = new();
    private readonly Queue<SqliteWriteJob> _housekeeping = new(); // the writer thread's alone
    private readonly Thread _thread;
    private readonly Func<long> _clockMs;
    private SqliteStatements? _statements; // the writer thread's alone
    private long _commits;
    private long _jobs;

    /// <param name="connectionString">The SQLite database the journal is in.</param>
    /// <param name="onOpen">SQL run on every connection the writer opens (pragmas).</param>
    /// <param name="maxBatchRows">Most rows in one transaction; a single job larger than this is still committed whole.</param>
    /// <param name="clockMs">Milliseconds of a monotonic clock (tests pass their own); <see cref="Environment.TickCount64"/> by default.</param>
    public SqliteGroupCommitWriter(string connectionString, string onOpen, int maxBatchRows, Func<long>? clockMs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchRows, 1);
        _connectionString = connectionString;
        _onOpen = onOpen;
        _maxBatchRows = maxBatchRows;
        _clockMs = clockMs ?? (static () => Environment.TickCount64);
        // A thread of its own: every commit blocks in SQLite (and its sync), which must not hold a pool thread.
        _thread = new Thread(Run) { IsBackground = true, Name = "iotactors-sqlite-journal-writer" };
        _thread.Start();
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Jobs committed so far.</summary>
    public long JobsCommitted => Interlocked.Read(ref _jobs);

    /// <summary>Queues <paramref name="job"/>; its task completes when it is committed.</summary>
    public Task Submit(SqliteWriteJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.QueuedAtMs = _clockMs();
        try
        {
            _queue.Add(job);
        }
        catch (InvalidOperationException)
        {
            job.Done.TrySetException(new ObjectDisposedException(nameof(SqliteGroupCommitWriter), "The SQLite journal writer has stopped; the write was not made."));
        }
        return job.Done.Task;
    }

    /// <summary>Commits what is queued, then stops the thread and closes the connection.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        if (_thread.Join(StopTimeout)) return;
        // The thread is stuck in SQLite (a lock held elsewhere): what it has not taken fails rather than hangs.
        while (_queue.TryTake(out var left))
            left.Done.TrySetException(new TimeoutException($"The SQLite journal writer did not stop within {StopTimeout.TotalSeconds:0} s; the write was not made."));
    }

    private void Run()
    {
        var batch = new List<SqliteWriteJob>();
        while (true)
        {
            // With housekeeping set aside, wait for a write only until it is due.
            SqliteWriteJob? job;
            if (_housekeeping.Count == 0)
            {
                if (!_queue.TryTake(out job, Timeout.Infinite)) break; // stopped, drained, no housekeeping left
            }
            else if (!_queue.TryTake(out job, UntilHousekeepingIsDue()))
            {
                job = null;
            }

            // Everything queued, up to the row limit, goes into one transaction; housekeeping is set aside.
            var rows = 0;
            while (job is not null)
            {
                if (job.IsHousekeeping)
                {
                    _housekeeping.Enqueue(job);
                }
                else
                {
                    batch.Add(job);
                    rows += job.Rows;
                }
                job = rows < _maxBatchRows && _queue.TryTake(out var next) ? next : null;
            }
            // Once due — or when stopping, so that none is lost — some housekeeping goes with this transaction.
            if (_queue.IsCompleted || UntilHousekeepingIsDue() == 0)
            {
                var chores = _queue.IsCompleted || HousekeepingWaitedMs() >= HousekeepingBehindAfterMs ? HousekeepingWhenBehind : HousekeepingPerTransaction;
                while (chores-- > 0 && _housekeeping.TryDequeue(out var chore)) batch.Add(chore);
            }

            if (batch.Count > 0) Commit(batch);
            batch.Clear();
        }
        Close();
    }

    /// <summary>Milliseconds until the oldest housekeeping job is due (0: due), at most <see cref="HousekeepingPollMs"/>.</summary>
    private int UntilHousekeepingIsDue() =>
        _housekeeping.Count == 0 ? HousekeepingPollMs : (int)Math.Clamp(HousekeepingDueAfterMs - HousekeepingWaitedMs(), 0, HousekeepingPollMs);

    /// <summary>How long the oldest housekeeping job has waited (0 when there is none).</summary>
    private long HousekeepingWaitedMs() => _housekeeping.TryPeek(out var oldest) ? _clockMs() - oldest.QueuedAtMs : 0;

    private void Commit(List<SqliteWriteJob> batch)
    {
        try
        {
            RunInOneTransaction(batch);
            foreach (var job in batch) job.Done.TrySetResult();
            return;
        }
        catch (Exception error) when (batch.Count == 1)
        {
            Close();
            batch[0].Done.TrySetException(error);
            return;
        }
        catch (Exception)
        {
            // Which job SQLite refused is unknown: find out by committing each alone, on a fresh connection.
            Close();
        }

        foreach (var job in batch)
        {
            try
            {
                RunInOneTransaction([job]);
                job.Done.TrySetResult();
            }
            catch (Exception error)
            {
                Close();
                job.Done.TrySetException(error);
            }
        }
    }

    private void RunInOneTransaction(List<SqliteWriteJob> jobs)
    {
        var statements = Open();
        using (var transaction = statements.Begin())
        {
            try
            {
                foreach (var job in jobs) job.Execute(statements);
                transaction.Commit();
            }
            finally
            {
                statements.Ended();
            }
        }
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _jobs, jobs.Count);
    }

    private SqliteStatements Open()
    {
        if (_statements is not null) return _statements;
        return _statements = SqliteStatements.Open(_connectionString, _onOpen);
    }

    /// <summary>Drops the connection after a failure (or at the end), so that the next job starts from a fresh one.</summary>
    private void Close()
    {
        _statements?.Dispose();
        _statements = null;
    }
}
