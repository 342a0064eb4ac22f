namespace IotActors.Actors.Hosting;

/// <summary>
/// <see cref="Akka.Hosting.IActorRegistry"/> key of the consumer supervisor: ask it
/// <see cref="Connections.GetConnectionStatuses"/>, or tell it <see cref="Connections.StopConsuming"/>.
/// </summary>
public sealed class IotConsumer;
