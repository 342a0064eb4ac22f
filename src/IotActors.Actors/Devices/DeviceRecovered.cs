using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// Published on the actor system's event stream when a device actor incarnation has recovered its
/// state from the journal, before it handles its first message.
/// </summary>
/// <param name="Device">The device.</param>
/// <param name="SnapshotSequenceNr">Sequence number of the snapshot recovery started from; 0 when there was none.</param>
/// <param name="EventsReplayed">Events replayed after the snapshot: at most <see cref="DeviceOptions.SnapshotEvery"/> (plus any whose snapshot failed).</param>
/// <param name="MessagesApplied">Applied-message counter after recovery.</param>
public sealed record DeviceRecovered(DeviceId Device, long SnapshotSequenceNr, long EventsReplayed, long MessagesApplied);
