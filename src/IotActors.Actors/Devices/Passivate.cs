namespace IotActors.Actors.Devices;

/// <summary>
/// Sent by an entity to its parent, the <see cref="DeviceRouter"/>: "stop me by sending me <see cref="StopMessage"/>"
/// (device actors do not send it — the router passivates idle devices itself —; other entities may).
/// Same contract as Akka.Cluster.Sharding's <c>Passivate</c>, which replaces it when devices become
/// sharding entities: the parent stops delivering to the entity, buffers what arrives for it, sends
/// <see cref="StopMessage"/>, and when the entity has terminated starts a new incarnation for any
/// buffered messages. Messages already in the entity's mailbox are processed before the stop message.
/// </summary>
public sealed record Passivate(object StopMessage);
