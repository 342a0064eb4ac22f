namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// One all-or-nothing unit of work for <see cref="SqliteGroupCommitWriter"/>: it runs inside a transaction it may share
/// with other jobs, and <see cref="Done"/> completes when that transaction is committed (or fails with why it was not).
/// </summary>
internal abstract class SqliteWriteJob
{
    /// <summary>Completes on commit. Continuations run off the writer thread: an actor's reply must not delay the next commit.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the writer queued the job, in its clock's milliseconds.</summary>
    public long QueuedAtMs { get; set; }

    /// <summary>Rows the job writes, counted against the writer's limit of rows per transaction.</summary>
    public abstract int Rows { get; }

    /// <summary>
    /// Whether nobody waits for the job (a deletion of what a snapshot covers): the writer sets such jobs aside for a
    /// second and then runs them together, so that they share the pages they rewrite.
    /// </summary>
    public virtual bool IsHousekeeping => false;

    /// <summary>Runs the job's statements in the current transaction.</summary>
    public abstract void Execute(SqliteStatements statements);
}
