using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>Marker for every message a device actor receives; lets the serializer and the shard extractor claim them.</summary>
public interface IDeviceCommand
{
    /// <summary>The device (entity) this command is for.</summary>
    DeviceId Device { get; }
}

/// <summary>
/// Which delivery on which connection a device command came from, so the reply can be matched to
/// the pending delivery. <see cref="Generation"/> changes on every reconnect: a reply for an older
/// generation refers to a delivery the platform will redeliver anyway and is ignored.
/// </summary>
public readonly record struct DeliveryRef(string ClientId, long Generation, long Sequence)
{
    public override string ToString() => $"{ClientId}#{Generation}:{Sequence}";
}

/// <summary>
/// A message for one device, sent by a connection actor to the device region.
/// The device actor answers the sender with <see cref="Processed"/> once the message has been
/// applied (or found to be a duplicate, or parked); only then is the delivery accepted on the link.
/// </summary>
public sealed record DeviceEnvelope(DeviceId Device, DeviceMessage Message, DeliveryRef Delivery) : IDeviceCommand
{
    private readonly DeviceId _device = Device;
    private readonly string _entityId = Device.ToString();

    /// <inheritdoc />
    public DeviceId Device
    {
        get => _device;
        init
        {
            _device = value;
            _entityId = value.ToString(); // kept in step, also by `with { Device = … }`
        }
    }

    /// <summary>
    /// The device's entity ID (<see cref="DeviceEntity.IdOf"/>), made once: the region hashes it to find the shard and
    /// the shard looks the entity up by it, and each made its own string from <see cref="Device"/> for every message
    /// (~64 B each; BENCHMARKS.md, round 15).
    /// </summary>
    public string EntityId => _entityId;
}

/// <summary>How a device actor disposed of a message.</summary>
public enum ProcessOutcome
{
    /// <summary>The behavior applied it; state changed (and was persisted when durable).</summary>
    Applied,
    /// <summary>Its messageId was seen before: dropped, state untouched.</summary>
    Duplicate,
    /// <summary>The behavior kept failing; the message was parked with a reason and is accepted.</summary>
    Parked,
}

/// <summary>Reply to <see cref="DeviceEnvelope"/>: the delivery may now be accepted.</summary>
public sealed record Processed(DeliveryRef Delivery, ProcessOutcome Outcome);

/// <summary>
/// Reply to <see cref="DeviceEnvelope"/> when the device is configured to leave failed messages
/// unaccepted: the connection releases the delivery and the platform redelivers it later.
/// </summary>
public sealed record ProcessingFailed(DeliveryRef Delivery, string Reason);

/// <summary>
/// Asks a device for its current state; answered with <see cref="DeviceStateReply"/>. Sent to the
/// device region like any device command, so it incarnates the device if it is not alive (then the
/// reply shows the initial state, and the device passivates again when idle).
/// </summary>
public sealed record GetDeviceState(DeviceId Device) : IDeviceCommand;

/// <summary>
/// A device's state as of the messages applied so far; a message still being retried is not in it.
/// </summary>
/// <param name="Device">The device.</param>
/// <param name="State">The behavior's state (a <c>DeviceTwin</c> for the built-in twin).</param>
/// <param name="MessagesApplied">Messages applied by this incarnation.</param>
/// <param name="DuplicatesDropped">Redeliveries dropped by messageId.</param>
/// <param name="Parked">Messages parked after the behavior kept failing.</param>
/// <param name="LastSeen">Receive time (epoch ms) of the newest applied or parked message; 0 when none.</param>
public sealed record DeviceStateReply(
    DeviceId Device,
    object State,
    long MessagesApplied,
    long DuplicatesDropped,
    long Parked,
    long LastSeen);
