using Akka.Actor;
using IotActors.Actors.Behaviors;

namespace IotActors.Actors.Devices;

/// <summary>
/// Creates device actors from one <see cref="Props"/> shared by every device of a region (<see
/// cref="DeviceBehaviorRegistration.EntityProps"/>): an actor's device is its name — the entity ID, escaped as the shard
/// and the router name their children — and each actor gets a behavior of its own when it is created.
/// </summary>
/// <remarks>
/// Props of their own per device (<see cref="DeviceActorProducer{TState}"/>) stay with the actor for its life: the
/// Props and <c>Deploy</c> Akka copies for the mailbox and the producer, ~180 B of every resident device (BENCHMARKS.md,
/// round 13).
/// </remarks>
internal sealed class DeviceEntityProducer<TState>(Func<DeviceBehavior<TState>> createBehavior, DeviceOptions options) : IIndirectActorProducer
    where TState : notnull
{
    public Type ActorType => typeof(DeviceActor<TState>);

    public ActorBase Produce()
    {
        // Akka calls this while the actor's cell creates the actor: the cell is the current one, its reference is Self.
        var self = ActorCell.GetCurrentSelfOrNoSender()
            ?? throw new InvalidOperationException("Device entity Props create actors only as children of a device region or router.");
        return new DeviceActor<TState>(DeviceEntity.DeviceOfActorName(self.Path.Name), createBehavior(), options);
    }

    // Nothing to give back: the behavior belongs to the actor and goes with it.
    public void Release(ActorBase actor)
    {
    }
}
