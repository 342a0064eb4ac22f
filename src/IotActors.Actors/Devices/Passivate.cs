namespace IotActors.Actors.Devices;

/// <summary>
/// Sent by an idle device actor to its parent: "stop me by sending me <see cref="StopMessage"/>".
/// Same contract as Akka.Cluster.Sharding's <c>Passivate</c>, which replaces it when devices become
/// sharding entities: the parent stops delivering to the entity, buffers what arrives for it, sends
/// <see cref="StopMessage"/>, and when the entity has terminated starts a new incarnation for any
/// buffered messages. Messages already in the entity's mailbox are processed before the stop message.
/// </summary>
public sealed record Passivate(object StopMessage);
