using Akka.Actor.Setup;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// What <see cref="GroupCommitSqliteJournal"/> needs besides its HOCON section, handed over as an actor-system setup
/// (as Akka.Persistence.Sql receives its <c>DataOptions</c>) so that a connection string never passes through HOCON,
/// which Akka may log.
/// </summary>
/// <param name="connectionString">The SQLite database of the journal.</param>
/// <param name="onOpen">SQL run on each connection the writer opens: the same pragmas as every journal connection.</param>
/// <param name="maxBatchRows">Most rows in one group commit.</param>
/// <param name="backgroundCheckpoints">Whether a <see cref="SqliteCheckpointer"/> copies the log beside the writer.</param>
/// <param name="writerCacheMiB">The page cache of the writer's connection (<see cref="DevicePersistenceOptions.SqliteWriterCacheMiB"/>).</param>
internal sealed class SqliteJournalSetup(string connectionString, string onOpen, int maxBatchRows, bool backgroundCheckpoints = true,
    int writerCacheMiB = DevicePersistenceOptions.DefaultSqliteWriterCacheMiB) : Setup
{
    /// <summary>Most rows one group commit writes unless configured otherwise.</summary>
    public const int DefaultMaxBatchRows = 1000;

    public string ConnectionString { get; } = connectionString;

    public string OnOpen { get; } = onOpen;

    /// <summary>What the writer runs on its connection: <see cref="OnOpen"/> and its page cache (negative: in KiB).</summary>
    public string WriterOnOpen { get; } = onOpen + $" PRAGMA cache_size = -{(long)writerCacheMiB * 1024};";

    public int MaxBatchRows { get; } = maxBatchRows;

    public bool BackgroundCheckpoints { get; } = backgroundCheckpoints;
}
