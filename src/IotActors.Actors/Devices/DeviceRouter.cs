using Akka.Actor;
using Akka.Event;
using IotActors.Actors.Behaviors;
using IotActors.Platform.Messages;
using ShardingPassivate = Akka.Cluster.Sharding.Passivate;

namespace IotActors.Actors.Devices;

/// <summary>
/// The device region of a single process: creates one child actor per device on its first
/// <see cref="IDeviceCommand"/> and forwards commands to it, keeping the original sender so replies go
/// straight back to the connection. In a cluster an Akka.Cluster.Sharding region takes its place
/// behind the same <see cref="DeviceRegion"/> key.
/// </summary>
/// <remarks>
/// <para>Passivation follows the sharding protocol: on <see cref="Passivate"/> — or Akka.Cluster.Sharding's own
/// <c>Passivate</c>, which a device can send whether its parent is this router or a shard — from a child the router
/// stops forwarding to it, buffers every command that arrives for that device, and sends the child the
/// stop message. Commands already in the child's mailbox are processed first. When the child has
/// terminated, buffered commands (with their original senders, in arrival order) start a new
/// incarnation; with none buffered the device stays stopped until its next command. No command is
/// dropped on the way.</para>
/// <para>The buffer is unbounded: device commands come from connections whose un-acknowledged
/// deliveries are bounded by link credit, and a child stops right after its queued messages.</para>
/// </remarks>
public sealed class DeviceRouter : ReceiveActor
{
    private readonly Func<DeviceId, Props> _entityProps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, Entity> _byRef = [];
    private readonly Dictionary<string, List<Buffered>> _passivating = new(StringComparer.Ordinal);

    /// <param name="entityProps">Props of the actor for a device; called for every incarnation.</param>
    public DeviceRouter(Func<DeviceId, Props> entityProps)
    {
        _entityProps = entityProps;
        Receive<IDeviceCommand>(Route);
        Receive<Passivate>(p => OnPassivate(p.StopMessage));
        Receive<ShardingPassivate>(p => OnPassivate(p.StopMessage));
        Receive<Terminated>(OnTerminated);
        Receive<GetDeviceRouterStats>(_ => Sender.Tell(new DeviceRouterStats(
            _entities.Count, _passivating.Count, _passivating.Values.Sum(b => b.Count))));
    }

    // Before any device exists: a burst of new devices must not be the first to ask for the scheduler's clock.
    protected override void PreStart() => SchedulerClock.EnsureStarted(Context.System.Scheduler);

    public static Props Props(DeviceBehaviorRegistration registration) => Props(registration.DeviceProps);

    public static Props Props(Func<DeviceId, Props> entityProps) =>
        Akka.Actor.Props.Create(() => new DeviceRouter(entityProps));

    private void Route(IDeviceCommand command)
    {
        var id = DeviceEntity.IdOf(command);
        if (_passivating.TryGetValue(id, out var buffer))
        {
            buffer.Add(new Buffered(command, Sender));
            return;
        }
        if (!_entities.TryGetValue(id, out var entity)) entity = Spawn(id, command.Device);
        entity.Forward(command);
    }

    private void OnPassivate(object stopMessage)
    {
        if (!_byRef.TryGetValue(Sender, out var entity))
        {
            _log.Warning("Ignoring Passivate from {Sender}, which is not a device of this region", Sender);
            return;
        }
        // Idle children repeat their request until stopped; the first one counts.
        if (_passivating.ContainsKey(entity.Id)) return;

        _passivating[entity.Id] = [];
        Sender.Tell(stopMessage);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (!_byRef.Remove(terminated.ActorRef, out var entity)) return;
        _entities.Remove(entity.Id);

        if (!_passivating.Remove(entity.Id, out var buffer))
        {
            _log.Warning("Device {Device} stopped without passivating", entity.Device);
            return;
        }
        if (buffer.Count == 0) return;

        _log.Debug("Device {Device} restarted for {Count} messages that arrived while it passivated", entity.Device, buffer.Count);
        var next = Spawn(entity.Id, entity.Device);
        foreach (var item in buffer) next.Tell(item.Command, item.Sender);
    }

    private IActorRef Spawn(string id, DeviceId device)
    {
        var child = Context.ActorOf(_entityProps(device), DeviceEntity.ActorNameOf(id));
        Context.Watch(child);
        _entities[id] = child;
        _byRef[child] = new Entity(id, device);
        return child;
    }


    private sealed record Entity(string Id, DeviceId Device);

    private sealed record Buffered(IDeviceCommand Command, IActorRef Sender);
}
