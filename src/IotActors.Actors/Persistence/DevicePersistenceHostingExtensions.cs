using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using IotActors.Actors.Persistence.Sqlite;
using IotActors.Actors.Serialization;
using LinqToDB;

namespace IotActors.Actors.Persistence;

/// <summary>Akka.Hosting registration of the journal and snapshot store that make device state durable.</summary>
public static class DevicePersistenceHostingExtensions
{
    /// <summary>
    /// Akka's in-memory journal and our keyed in-memory snapshot store (<see cref="InMemorySnapshotStore"/>; Akka's
    /// default snapshot store writes files). Device state then lives as long as the actor system; HOCON-only systems
    /// (tests) add this to their configuration.
    /// </summary>
    /// <remarks>
    /// The journal's replay filter is off: it guards a replay against events interleaved by two writers of one
    /// persistence ID (a split brain writing to a shared database), which a journal inside this process cannot hold,
    /// and it costs a child actor (built from an expression, by reflection) in the journal for every recovery — with it,
    /// a fleet's first contact queued behind the journal creating those actors (BENCHMARKS.md, round 9).
    /// </remarks>
    public static Config InMemoryConfig { get; } = ConfigurationFactory.ParseString(
        $$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.journal.inmem.replay-filter.mode = off
        akka.persistence.snapshot-store.plugin = "{{InMemorySnapshotStore.PluginId}}"
        {{InMemorySnapshotStore.PluginId}} {
          class = "{{typeof(InMemorySnapshotStore).AssemblyQualifiedName}}"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """);

    /// <summary>
    /// Akka.Persistence.Sql opens a connection per write by cloning a template connection
    /// (<c>use-clone-connection = true</c>, its default). With linq2db 6 every clone combines the plugin's mapping
    /// schema with the provider's anew (a new <c>MappingSchema</c> and its attribute caches per write, ~20 KB), which a
    /// connection built from the options does not (linq2db reuses that combination). With cloning off the durable pipeline
    /// on SQLite allocates ~48 KB per message instead of ~68 KB, uses ~20 % less CPU and, in three back-to-back pairs, got
    /// through 1.1–1.9× as many messages (BENCHMARKS.md, round 4). Journal, snapshot store and the read journal behind
    /// the device list all open connections the same way.
    /// </summary>
    internal static Config SqlConnectionConfig { get; } = ConfigurationFactory.ParseString(
        """
        akka.persistence.journal.sql.use-clone-connection = off
        akka.persistence.snapshot-store.sql.use-clone-connection = off
        akka.persistence.query.journal.sql.use-clone-connection = off
        """);

    /// <summary>
    /// The provider name of the SQLite stores. Akka.Persistence.Sql takes the provider from <c>provider-name</c> even when
    /// it is given <c>DataOptions</c>, and without it creates the tables without their indexes (the journal's unique
    /// (persistence id, sequence number) index among them): every replay and highest-sequence-number query then scans
    /// the whole journal, and a duplicate sequence number is not refused. Set for the journal, the snapshot store and the
    /// read journal; the indexes are created (if missing) on every start, so files made without them get them.
    /// <para>
    /// Reads (recovery, the highest sequence number, the device list) run in deferred transactions: with the plugin's
    /// default isolation level Microsoft.Data.Sqlite begins every transaction IMMEDIATE, taking the write lock, so each
    /// recovery waited for the writer's commit in progress and failed after the busy timeout when another connection held
    /// the lock. Microsoft.Data.Sqlite begins a transaction deferred for <c>read-uncommitted</c> (which otherwise matters
    /// only in shared-cache mode, not used here); in WAL mode a deferred read sees the last commit and waits for no writer.
    /// </para>
    /// </summary>
    internal static Config SqliteProviderConfig { get; } = ConfigurationFactory.ParseString(
        $"""
        akka.persistence.journal.sql.provider-name = "{ProviderName.SQLiteMS}"
        akka.persistence.snapshot-store.sql.provider-name = "{ProviderName.SQLiteMS}"
        akka.persistence.query.journal.sql.provider-name = "{ProviderName.SQLiteMS}"
        akka.persistence.journal.sql.read-isolation-level = read-uncommitted
        akka.persistence.snapshot-store.sql.read-isolation-level = read-uncommitted
        akka.persistence.query.journal.sql.read-isolation-level = read-uncommitted
        """);

    /// <summary>How long a SQLite connection waits for another connection's lock before failing. <b>Default:</b> 10 s.</summary>
    internal const int SqliteBusyTimeoutMs = 10_000;

    /// <summary>
    /// SQLite as the journal of many device actors writing and recovering at once. Every connection runs
    /// <c>PRAGMA busy_timeout</c>, so a connection that meets another's lock waits inside SQLite (a few ms)
    /// instead of failing into Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms per attempt on an actor
    /// thread; <c>journal_mode=WAL</c>, so a commit costs one sync of the log instead of several of the
    /// database file; and <c>synchronous</c> as <paramref name="synchronous"/> says (FULL by default: an event whose
    /// delivery was accepted survives a power loss). Measured in BENCHMARKS.md (durable throughput and recovery).
    /// </summary>
    internal static DataOptions SqliteDataOptions(string connectionString, SqliteSynchronous synchronous = SqliteSynchronous.Full,
        int checkpointPages = DevicePersistenceOptions.DefaultSqliteCheckpointPages) =>
        new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseAfterConnectionOpened(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = SqlitePragmas(synchronous, checkpointPages);
                command.ExecuteNonQuery();
            });

    /// <summary>
    /// What every SQLite connection of the journal and snapshot store runs when it opens. busy_timeout first:
    /// switching a new database to WAL needs a lock another connection may hold. synchronous is per connection, so it
    /// is set on every one, and so is wal_autocheckpoint (<see cref="DevicePersistenceOptions.SqliteCheckpointPages"/>):
    /// the connection whose commit passes it runs the checkpoint — with group commit, the writer.
    /// </summary>
    internal static string SqlitePragmas(SqliteSynchronous synchronous, int checkpointPages = DevicePersistenceOptions.DefaultSqliteCheckpointPages) =>
        $"PRAGMA busy_timeout = {SqliteBusyTimeoutMs}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {Pragma(synchronous)}; " +
        $"PRAGMA wal_autocheckpoint = {checkpointPages.ToString(System.Globalization.CultureInfo.InvariantCulture)};";

    /// <summary>
    /// Akka.Persistence.Sql's journal and snapshot store with their writes made by one group-commit writer
    /// (<see cref="GroupCommitSqliteJournal"/>, <see cref="GroupCommitSqliteSnapshotStore"/>).
    /// </summary>
    internal static Config GroupCommitConfig { get; } = ConfigurationFactory.ParseString(
        $"""
        akka.persistence.journal.sql.class = "{typeof(GroupCommitSqliteJournal).AssemblyQualifiedName}"
        akka.persistence.snapshot-store.sql.class = "{typeof(GroupCommitSqliteSnapshotStore).AssemblyQualifiedName}"
        """);

    /// <summary>
    /// Akka.Persistence.Sql's journal with the database refusing a stale incarnation's writes (<see cref="StaleWriteGuard"/>);
    /// the SQLite group-commit journal is one too.
    /// </summary>
    internal static Config GuardedJournalConfig { get; } = ConfigurationFactory.ParseString(
        $"""
        akka.persistence.journal.sql.class = "{typeof(GuardedSqlWriteJournal).AssemblyQualifiedName}"
        """);

    private static string Pragma(SqliteSynchronous synchronous) => synchronous switch
    {
        SqliteSynchronous.Full => "FULL",
        SqliteSynchronous.Normal => "NORMAL",
        _ => throw new ArgumentOutOfRangeException(nameof(synchronous), synchronous, "Unknown SQLite synchronous setting."),
    };

    /// <summary>
    /// Journals device state in the store <paramref name="options"/> names (Akka.Persistence.Sql for
    /// SQLite and PostgreSQL, creating its tables on first use and guarding its journal table against a stale
    /// incarnation's writes, <see cref="StaleWriteGuard"/>) as the actor system's default journal and
    /// snapshot store, and registers the IotActors serializer, which writes the journal's events.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is missing or invalid.</exception>
    public static AkkaConfigurationBuilder WithDevicePersistence(this AkkaConfigurationBuilder builder, DevicePersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        builder.WithIotActorsSerialization();
        return options.Provider switch
        {
            DevicePersistenceProvider.InMemory => builder.AddHocon(InMemoryConfig, HoconAddMode.Prepend),
            DevicePersistenceProvider.Sqlite => WithSqlite(builder, options),
            DevicePersistenceProvider.PostgreSql => builder
                .WithSqlPersistence(options.ConnectionString!, ProviderName.PostgreSQL15, autoInitialize: true)
                .AddHocon(SqlConnectionConfig, HoconAddMode.Prepend)
                .AddSetup(new StaleWriteGuardSetup(new DataOptions().UseConnectionString(ProviderName.PostgreSQL15, options.ConnectionString!)))
                .AddHocon(GuardedJournalConfig, HoconAddMode.Prepend),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown persistence provider."),
        };
    }

    private static AkkaConfigurationBuilder WithSqlite(AkkaConfigurationBuilder builder, DevicePersistenceOptions options)
    {
        var connectionString = options.SqliteConnectionString();
        var dataOptions = SqliteDataOptions(connectionString, options.SqliteSynchronous, options.SqliteCheckpointPages);
        builder
            .WithSqlPersistence(dataOptions, autoInitialize: true)
            .AddHocon(SqlConnectionConfig, HoconAddMode.Prepend)
            .AddHocon(SqliteProviderConfig, HoconAddMode.Prepend)
            .AddSetup(new StaleWriteGuardSetup(dataOptions));
        if (!options.SqliteGroupCommit) return builder.AddHocon(GuardedJournalConfig, HoconAddMode.Prepend);
        // The connection string travels as a setup, never through HOCON (which Akka can log).
        builder.AddSetup(new SqliteJournalSetup(connectionString, SqlitePragmas(options.SqliteSynchronous, options.SqliteCheckpointPages), SqliteJournalSetup.DefaultMaxBatchRows,
            options.SqliteBackgroundCheckpoints, options.SqliteWriterCacheMiB));
        return builder.AddHocon(GroupCommitConfig, HoconAddMode.Prepend);
    }
}
