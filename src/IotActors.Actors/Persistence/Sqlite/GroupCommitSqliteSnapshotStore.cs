using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Snapshot;
using Akka.Persistence.Sql.Config;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// Akka.Persistence.Sql's snapshot store for SQLite with saves and deletions up to a sequence number made by the
/// system's group-commit writer (<see cref="SqliteWriterExtension"/>), the one writer of the file, and loads made with
/// a prepared statement (<see cref="SqliteReaders"/>); the rarer deletions (by time, of one snapshot) stay the
/// plugin's. Rows are the plugin's, written and read as it writes and reads them.
/// <para>
/// Why: the plugin's save waited for SQLite's write lock while the journal's writer held it, sleeping on a dispatcher
/// thread, and under a steady event load could wait out the busy timeout (BENCHMARKS.md, round 5).
/// </para>
/// </summary>
public sealed class GroupCommitSqliteSnapshotStore : SqlSnapshotStore
{
    private readonly SqliteGroupCommitWriter _writer;
    private readonly SqliteReaders _readers;
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
        var sqlite = SqliteWriterExtension.For(_system);
        _writer = sqlite.Writer;
        _readers = sqlite.Readers;
    }

    /// <summary>
    /// The newest snapshot the criteria allow, as the plugin selects it for each kind of criteria (by the maximum sequence
    /// number and time; the minimums are not applied, as the plugin does not) and deserializes it.
    /// </summary>
    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        try
        {
            return Load(persistenceId, criteria, cancellationToken);
        }
        catch (Exception error)
        {
            // A failed read is a failed task, as from the plugin: the store answers LoadSnapshotFailed.
            return Task.FromException<SelectedSnapshot?>(error);
        }
    }

    private Task<SelectedSnapshot?> Load(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var row = _readers.Read(statements =>
        {
            var load = statements.Get(_table.LoadSql, DeclareLoad);
            load.Parameters[0].Value = persistenceId;
            load.Parameters[1].Value = criteria.MaxSequenceNr;
            load.Parameters[2].Value = criteria.MaxTimeStamp.Ticks;
            using var reader = load.ExecuteReader();
            if (!reader.Read()) return (SnapshotRow?)null;
            return new SnapshotRow(
                reader.GetInt64(0),
                reader.GetInt64(1),
                (byte[])reader.GetValue(2),
                reader.IsDBNull(3) ? string.Empty : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4));
        });
        if (row is not { } found) return Task.FromResult<SelectedSnapshot?>(null);
        // A row without a serializer id (written by an older plugin) is found by its type name: the plugin's own path.
        if (found.SerializerId is not { } serializerId) return base.LoadAsync(persistenceId, criteria, cancellationToken);

        // Deserialized here, on the store's thread, as the plugin does: a snapshot that cannot be read fails the load.
        var snapshot = _system.Serialization.Deserialize(found.Bytes, serializerId, found.Manifest);
        return Task.FromResult<SelectedSnapshot?>(new SelectedSnapshot(new SnapshotMetadata(persistenceId, found.SequenceNr, new DateTime(found.CreatedTicks)), snapshot));
    }

    private static void DeclareLoad(SqliteParameterCollection parameters)
    {
        parameters.Add("$pid", SqliteType.Text);
        parameters.Add("$maxSeq", SqliteType.Integer);
        parameters.Add("$maxCreated", SqliteType.Integer);
    }

    private readonly record struct SnapshotRow(long SequenceNr, long CreatedTicks, byte[] Bytes, string Manifest, int? SerializerId);

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
