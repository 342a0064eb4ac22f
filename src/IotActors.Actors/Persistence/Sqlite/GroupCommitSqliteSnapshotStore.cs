using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Snapshot;
using Akka.Persistence.Sql.Config;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// Akka.Persistence.Sql's snapshot store for SQLite with saves and deletions up to a sequence number made by the
/// system's group-commit writer (<see cref="SqliteWriterExtension"/>), the one writer of the file; loads and the rarer
/// deletions (by time, of one snapshot) stay the plugin's. Rows are the plugin's, written as it writes them.
/// <para>
/// Why: the plugin's save waited for SQLite's write lock while the journal's writer held it, sleeping on a dispatcher
/// thread, and under a steady event load could wait out the busy timeout (BENCHMARKS.md, round 5).
/// </para>
/// </summary>
public sealed class GroupCommitSqliteSnapshotStore : SqlSnapshotStore
{
    private readonly SqliteGroupCommitWriter _writer;
    private readonly SqliteSnapshotTable _table;
    private readonly ExtendedActorSystem _system;
    private readonly string _defaultSerializer;

    /// <summary>Made by Akka from the <c>akka.persistence.snapshot-store.sql</c> section.</summary>
    public GroupCommitSqliteSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _system = (ExtendedActorSystem)Context.System;
        var config = new SnapshotConfig(snapshotConfig.WithFallback(SqlPersistence.DefaultSnapshotConfiguration));
        _defaultSerializer = config.DefaultSerializer;
        _table = SqliteSnapshotTable.From(config.TableConfig);
        _writer = SqliteWriterExtension.For(_system);
    }

    /// <inheritdoc />
    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        // Serialized here, on the store's thread: a snapshot that cannot be serialized fails its save, not the writer.
        var payload = SerializedPayload.Of(_system, snapshot, _defaultSerializer);
        return _writer.Submit(new SnapshotSaveJob(_table, metadata.PersistenceId, metadata.SequenceNr, metadata.Timestamp.Ticks, payload));
    }

    /// <inheritdoc />
    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        criteria.MaxSequenceNr != long.MaxValue && criteria.MaxTimeStamp == DateTime.MaxValue
            ? _writer.Submit(new DeleteUpToJob([_table.DeleteToSql], persistenceId, criteria.MaxSequenceNr))
            : base.DeleteAsync(persistenceId, criteria, cancellationToken);
}
