using Akka.Actor;
using IotActors.Actors.Behaviors;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// Creates one device's actor, for its <see cref="Props"/>. A device is incarnated on its first message after every
/// passivation, so Props are made per incarnation: <c>Props.Create(() => new …)</c> takes the expression apart on every
/// call (~1 µs and ~830 B each, measured) and builds the actor by reflection; a producer calls the constructor.
/// </summary>
internal sealed class DeviceActorProducer<TState>(DeviceId device, DeviceBehavior<TState> behavior, DeviceOptions options) : IIndirectActorProducer
    where TState : notnull
{
    public Type ActorType => typeof(DeviceActor<TState>);

    public ActorBase Produce() => new DeviceActor<TState>(device, behavior, options);

    // Nothing to give back: the behavior belongs to this device and lives as long as its Props.
    public void Release(ActorBase actor)
    {
    }
}
