using Akka.Actor;
using IotActors.Actors.Behaviors;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// Creates one device's actor, for Props made for that device (<see cref="DeviceActor{TState}.Props"/>,
/// <see cref="DeviceBehaviorRegistration.DeviceProps"/>): for code that builds a device actor itself. The region and the
/// router create every device from one shared Props instead (<see cref="DeviceEntityProducer{TState}"/>). A producer
/// calls the constructor: <c>Props.Create(() => new …)</c> takes the expression apart on every call (~1 µs and ~830 B
/// each, measured) and builds the actor by reflection.
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
