using Akka.Persistence;
using Akka.Persistence.Snapshot;

namespace IotActors.Actors.Persistence;

/// <summary>
/// The in-memory snapshot store of <see cref="DevicePersistenceProvider.InMemory"/>: snapshots kept as objects, found
/// by persistence ID. Akka's own in-memory store keeps one list for all actors and scans it on every load and save,
/// which turns the start of N devices into N² work once every device has a snapshot (as with
/// <c>DeviceStateWrites.OnStop</c>, after passivation); here each operation touches one device's few snapshots.
/// </summary>
/// <remarks>
/// Runs as Akka's snapshot-store actor, one message at a time, so no locking. A save with the persistence ID and
/// sequence number of a kept snapshot replaces it. Criteria bounds are inclusive, as Akka documents them.
/// </remarks>
public sealed class InMemorySnapshotStore : SnapshotStore
{
    /// <summary>The HOCON path of this plugin.</summary>
    public const string PluginId = "akka.persistence.snapshot-store.iotactors-inmem";

    // Per persistence ID, ordered by sequence number (usually one or two entries).
    private readonly Dictionary<string, List<SelectedSnapshot>> _snapshots = new(StringComparer.Ordinal);

    protected override Task<SelectedSnapshot> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGetValue(persistenceId, out var kept))
        {
            for (var i = kept.Count - 1; i >= 0; i--)
            {
                if (Matches(kept[i].Metadata, criteria)) return Task.FromResult(kept[i]);
            }
        }
        return Task.FromResult<SelectedSnapshot>(null!);
    }

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        if (!_snapshots.TryGetValue(metadata.PersistenceId, out var kept))
        {
            kept = new List<SelectedSnapshot>(1);
            _snapshots.Add(metadata.PersistenceId, kept);
        }
        var entry = new SelectedSnapshot(metadata, snapshot);
        var index = kept.FindIndex(s => s.Metadata.SequenceNr >= metadata.SequenceNr);
        if (index < 0) kept.Add(entry);
        else if (kept[index].Metadata.SequenceNr == metadata.SequenceNr) kept[index] = entry;
        else kept.Insert(index, entry);
        return Task.CompletedTask;
    }

    protected override Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGetValue(metadata.PersistenceId, out var kept))
        {
            kept.RemoveAll(s => s.Metadata.SequenceNr == metadata.SequenceNr);
            if (kept.Count == 0) _snapshots.Remove(metadata.PersistenceId);
        }
        return Task.CompletedTask;
    }

    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGetValue(persistenceId, out var kept))
        {
            kept.RemoveAll(s => Matches(s.Metadata, criteria));
            if (kept.Count == 0) _snapshots.Remove(persistenceId);
        }
        return Task.CompletedTask;
    }

    private static bool Matches(SnapshotMetadata metadata, SnapshotSelectionCriteria criteria) =>
        metadata.SequenceNr <= criteria.MaxSequenceNr
        && metadata.SequenceNr >= criteria.MinSequenceNr
        && metadata.Timestamp <= criteria.MaxTimeStamp
        && (criteria.MinTimestamp is not { } min || metadata.Timestamp >= min);
}
