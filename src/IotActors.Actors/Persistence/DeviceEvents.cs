using IotActors.Actors.Devices;

namespace IotActors.Actors.Persistence;

/// <summary>
/// An event a device actor writes to its journal, one per settled message. Events carry the new
/// behavior state rather than the message, so recovery never runs user code: nothing is emitted again,
/// a transient failure of <c>Apply</c> cannot break recovery, and a changed behavior does not rewrite
/// history. Snapshots (<see cref="DeviceSnapshot"/>) keep the replay short.
/// </summary>
public interface IDeviceEvent
{
    /// <summary>The messageId the event settles.</summary>
    string MessageId { get; }
}

/// <summary>The behavior applied a message: <paramref name="State"/> is the behavior's state afterwards.</summary>
/// <param name="MessageId">Platform messageId, remembered in the dedupe window.</param>
/// <param name="ReceivedAt">Receive time (epoch ms), for <c>LastSeen</c>.</param>
/// <param name="State">The behavior's new state (a <c>DeviceTwin</c> for the built-in twin).</param>
public sealed record MessageApplied(string MessageId, long ReceivedAt, object State) : IDeviceEvent;

/// <summary>A message was parked after the behavior kept failing: only its messageId and the counter change.</summary>
public sealed record MessageParked(string MessageId, long ReceivedAt) : IDeviceEvent;

/// <summary>A redelivery was dropped by messageId; written so the duplicate counter survives restarts.</summary>
public sealed record DuplicateDropped(string MessageId) : IDeviceEvent;

/// <summary>
/// Everything a device actor keeps, as stored every <see cref="DeviceOptions.SnapshotEvery"/> events;
/// events and snapshots older than the newest snapshot are deleted.
/// </summary>
/// <param name="State">The behavior's state.</param>
/// <param name="Dedupe">The messageId window (its capacity is re-applied from the current options on recovery).</param>
/// <param name="MessagesApplied">Messages the behavior applied, over all incarnations.</param>
/// <param name="DuplicatesDropped">Redeliveries dropped by messageId.</param>
/// <param name="Parked">Messages parked.</param>
/// <param name="LastSeen">Newest receive time (epoch ms) of an applied or parked message.</param>
public sealed record DeviceSnapshot(
    object State,
    DedupeWindow Dedupe,
    long MessagesApplied,
    long DuplicatesDropped,
    long Parked,
    long LastSeen);
