using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// Published on the actor system's event stream when a device behavior kept failing on a message and
/// the message was parked: its delivery is accepted (the platform will not redeliver it) and this is the
/// one place it can still be seen — subscribe to store, alert or replay it.
/// </summary>
/// <param name="Device">The device.</param>
/// <param name="MessageId">Platform messageId.</param>
/// <param name="Topic">Forwarding topic.</param>
/// <param name="Reason">Last exception type and message, and how many attempts were made.</param>
/// <param name="Body">The payload; empty for <see cref="MessageKind.Lifecycle"/> messages, whose bodies carry the device secret.</param>
public sealed record ParkedMessage(DeviceId Device, string MessageId, string Topic, string Reason, ReadOnlyMemory<byte> Body);
