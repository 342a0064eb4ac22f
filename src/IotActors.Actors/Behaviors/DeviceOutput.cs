using IotActors.Platform.Messages;

namespace IotActors.Actors.Behaviors;

/// <summary>
/// A side effect a device behavior emitted through <see cref="IDeviceContext.Emit"/>, published on the
/// actor system's event stream after the message was applied. Subscribe with
/// <c>system.EventStream.Subscribe(actor, typeof(DeviceOutput))</c>.
/// </summary>
/// <remarks>
/// Published once per successful apply. A message the device already applied is a duplicate and emits
/// nothing; but a crash between applying and acknowledging can, until state is durable, lead to a
/// redelivery being applied again by a new incarnation — consumers that need exactly-once should
/// deduplicate by <see cref="MessageId"/>.
/// </remarks>
public sealed record DeviceOutput(DeviceId Device, string MessageId, object Output);
