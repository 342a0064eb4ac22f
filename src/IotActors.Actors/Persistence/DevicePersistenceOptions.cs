using IotActors.Actors.Devices;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence;

/// <summary>Where device state is journaled.</summary>
public enum DevicePersistenceProvider
{
    /// <summary>A SQLite file under <see cref="DevicePersistenceOptions.DataDirectory"/>: one node.</summary>
    Sqlite,
    /// <summary>PostgreSQL: required for a cluster, where any node may recover any device.</summary>
    PostgreSql,
    /// <summary>Akka's in-memory journal and snapshot store: state lives as long as the actor system (tests, demos).</summary>
    InMemory,
}

/// <summary>
/// Journal and snapshot store of the device actors, read by <c>WithDevicePersistence</c>. Tables are
/// created on first use. Operators set <c>IOTACTORS__PERSISTENCE__PROVIDER</c> (<c>sqlite</c> |
/// <c>postgresql</c>) and <c>IOTACTORS__PERSISTENCE__CONNECTIONSTRING</c>.
/// </summary>
public sealed class DevicePersistenceOptions
{
    /// <summary>File name of the SQLite database inside <see cref="DataDirectory"/>.</summary>
    public const string SqliteFileName = "iotactors.db";

    /// <summary>Which store. <b>Default:</b> <see cref="DevicePersistenceProvider.Sqlite"/>.</summary>
    public DevicePersistenceProvider Provider { get; set; } = DevicePersistenceProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string. Required for PostgreSQL (<c>Host=…;Database=…;Username=…;Password=…</c>);
    /// for SQLite it replaces the file under <see cref="DataDirectory"/>; ignored in memory. It may hold a
    /// password: it is never logged. <b>Default:</b> none.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Folder of the SQLite file (<see cref="SqliteFileName"/>), created when missing; relative paths are
    /// resolved against the current directory. <b>Default:</b> <c>./data</c>.
    /// </summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite only: whether each commit waits for the disk (<see cref="Persistence.SqliteSynchronous.Full"/>: accepted
    /// deliveries survive a power loss) or not (<see cref="Persistence.SqliteSynchronous.Normal"/>: they survive a crash
    /// of the process, not of the machine; several times faster on slow disks). <b>Default:</b> Full.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// SQLite only: whether the journal writes events by group commit (<see cref="Sqlite.GroupCommitSqliteJournal"/> and <see cref="Sqlite.GroupCommitSqliteSnapshotStore"/>:
    /// one prepared insert per event and one transaction, and one sync, for all the writes that queued during the previous
    /// commit) or through Akka.Persistence.Sql's own write path. Both write the same table; a file written by one is read
    /// by the other. <b>Default:</b> true.
    /// </summary>
    public bool SqliteGroupCommit { get; set; } = true;

    /// <summary>
    /// SQLite only: how many pages (4 KiB each) the write-ahead log may hold before the commit that passes it copies them
    /// into the database file (<c>PRAGMA wal_autocheckpoint</c>). A page rewritten many times between two checkpoints is
    /// copied once: deleting what snapshots cover rewrites the same journal pages again and again, and SQLite's own
    /// default of 1,000 pages copied them several times a second (BENCHMARKS.md, round 6: the durable rate past the first
    /// snapshots rose by 35–70 % with 16,384). With background checkpoints (<see cref="SqliteBackgroundCheckpoints"/>) the
    /// bound sets how often the writer stalls: the commit that crosses it copies what the last background pass left,
    /// syncs the database file and starts the log again while every write waits. A durable node under load writes a page
    /// or more per event, so 64 MiB filled within a couple of seconds and put the p99 at 80 % of the rate near 50 ms
    /// (BENCHMARKS.md, round 16: 256 MiB, a quarter as many stalls, halved it at 100 deliveries in flight).
    /// The cost is disk: the log file grows to about this size and stays there. <b>Default:</b> 65,536 (256 MiB).
    /// </summary>
    public int SqliteCheckpointPages { get; set; } = DefaultSqliteCheckpointPages;

    /// <summary>The default of <see cref="SqliteCheckpointPages"/>: 65,536 pages, a write-ahead log of about 256 MiB.</summary>
    public const int DefaultSqliteCheckpointPages = 65_536;

    /// <summary>
    /// SQLite with group commit only: the page cache of the writer's connection, in MiB (<c>PRAGMA cache_size</c>; SQLite's
    /// own default is 2 MiB). Every insert and deletion reads pages of the journal's table and unique index that are
    /// spread across all devices; with a cache smaller than that working set, each is read again from the operating
    /// system (a system call and a copy per page): about 8 % of the writer thread's time in the bench, 0.2 % with this
    /// cache (BENCHMARKS.md, round 12). Filled only as pages are used; read connections keep SQLite's default.
    /// <b>Default:</b> 64.
    /// </summary>
    public int SqliteWriterCacheMiB { get; set; } = DefaultSqliteWriterCacheMiB;

    /// <summary>The default of <see cref="SqliteWriterCacheMiB"/>.</summary>
    public const int DefaultSqliteWriterCacheMiB = 64;

    /// <summary>The largest <see cref="SqliteWriterCacheMiB"/> accepted (16 GiB): beyond it a typo, not a setting.</summary>
    public const int MaxSqliteWriterCacheMiB = 16_384;

    /// <summary>
    /// SQLite with group commit only. <c>true</c>: a thread and connection of their own copy the write-ahead log into the
    /// database file every 100 ms (passive checkpoints, which never hold up a write), so the commit that reaches
    /// <see cref="SqliteCheckpointPages"/> finds little left to copy instead of stalling every write for a whole
    /// checkpoint. <c>false</c>: only the writer checkpoints. <b>Default:</b> <c>true</c>.
    /// </summary>
    public bool SqliteBackgroundCheckpoints { get; set; } = true;

    /// <summary>
    /// When device actors should write their state with this store: <see cref="DeviceStateWrites.OnStop"/> in memory
    /// (a journal write per message buys no durability there), <see cref="DeviceStateWrites.EveryMessage"/> otherwise.
    /// </summary>
    public DeviceStateWrites DefaultStateWrites =>
        Provider == DevicePersistenceProvider.InMemory ? DeviceStateWrites.OnStop : DeviceStateWrites.EveryMessage;

    /// <summary>Reads a provider name as operators write it: <c>sqlite</c>, <c>postgresql</c> (or <c>postgres</c>), <c>inmemory</c>; case-insensitive.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static DevicePersistenceProvider ParseProvider(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sqlite" => DevicePersistenceProvider.Sqlite,
        "postgresql" or "postgres" => DevicePersistenceProvider.PostgreSql,
        "inmemory" or "in-memory" or "memory" => DevicePersistenceProvider.InMemory,
        _ => throw new ArgumentException($"Persistence provider '{name}' is not one of sqlite, postgresql, inmemory.", nameof(name)),
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is missing or invalid.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Provider))
            throw new ArgumentOutOfRangeException(nameof(Provider), Provider, "DevicePersistenceOptions.Provider must be Sqlite, PostgreSql or InMemory.");
        if (!Enum.IsDefined(SqliteSynchronous))
            throw new ArgumentOutOfRangeException(nameof(SqliteSynchronous), SqliteSynchronous, "DevicePersistenceOptions.SqliteSynchronous must be Full or Normal.");
        if (SqliteCheckpointPages < 1)
            throw new ArgumentOutOfRangeException(nameof(SqliteCheckpointPages), SqliteCheckpointPages, "DevicePersistenceOptions.SqliteCheckpointPages must be at least 1 (SQLite's own default is 1000).");
        if (SqliteWriterCacheMiB is < 1 or > MaxSqliteWriterCacheMiB)
            throw new ArgumentOutOfRangeException(nameof(SqliteWriterCacheMiB), SqliteWriterCacheMiB, $"DevicePersistenceOptions.SqliteWriterCacheMiB must be from 1 to {MaxSqliteWriterCacheMiB} (default {DefaultSqliteWriterCacheMiB}).");
        if (Provider == DevicePersistenceProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
            throw new ArgumentException("DevicePersistenceOptions.ConnectionString is required for PostgreSQL (IOTACTORS__PERSISTENCE__CONNECTIONSTRING).", nameof(ConnectionString));
        if (Provider == DevicePersistenceProvider.Sqlite && string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException("DevicePersistenceOptions.DataDirectory must name a folder when no SQLite connection string is given.", nameof(DataDirectory));
    }

    /// <summary>The SQLite connection string: <see cref="ConnectionString"/>, or the file in <see cref="DataDirectory"/> (creating the folder).</summary>
    internal string SqliteConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString)) return ConnectionString;
        var directory = Path.GetFullPath(DataDirectory);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, SqliteFileName) }.ToString();
    }
}
