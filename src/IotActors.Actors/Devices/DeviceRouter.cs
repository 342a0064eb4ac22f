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
/// <para><b>Idle devices</b> are passivated by the router, as Cluster Sharding's shard does with its idle entities: every
/// half of <c>passivateAfter</c> it stops the devices that got no command for <c>passivateAfter</c> (so an idle
/// device stops between 1 and 1.5 times that after its last command). One timestamp per device in the router rather
/// than a receive timeout in every device: a receive timeout keeps a timer registration (~230 B) in each resident
/// device and replaces it on every message.</para>
/// <para>Passivation follows the sharding protocol: when a device is idle, and on <see cref="Passivate"/> — or
/// Akka.Cluster.Sharding's own <c>Passivate</c>, which an entity can send whether its parent is this router or a
/// shard — from a child, the router stops forwarding to it, buffers every command that arrives for that device, and
/// sends the child the stop message. Commands already in the child's mailbox are processed first. When the child has
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
    private readonly Dictionary<string, Entity> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, Entity> _byRef = [];
    private readonly Dictionary<string, List<Buffered>> _passivating = new(StringComparer.Ordinal);
    private readonly TimeSpan? _passivateAfter;
    private readonly object _stopMessage;
    private ICancelable? _idleCheck;

    /// <param name="entityProps">Props of the actor for a device; called for every incarnation.</param>
    /// <param name="passivateAfter">Devices without a command for this long are stopped; null: only when they ask.</param>
    /// <param name="stopMessage">What an idle device is sent to stop it.</param>
    public DeviceRouter(Func<DeviceId, Props> entityProps, TimeSpan? passivateAfter, object stopMessage)
    {
        if (passivateAfter is { } after && after <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(passivateAfter), after, "passivateAfter must be positive (or null for never).");
        _entityProps = entityProps;
        _passivateAfter = passivateAfter;
        _stopMessage = stopMessage;
        Receive<IDeviceCommand>(Route);
        Receive<Passivate>(p => OnPassivate(p.StopMessage));
        Receive<ShardingPassivate>(p => OnPassivate(p.StopMessage));
        Receive<Terminated>(OnTerminated);
        Receive<IdleCheck>(_ => PassivateIdle());
        Receive<GetDeviceRouterStats>(_ => Sender.Tell(new DeviceRouterStats(
            _entities.Count, _passivating.Count, _passivating.Values.Sum(b => b.Count))));
    }

    protected override void PreStart()
    {
        // Before any device exists: a burst of new devices must not be the first to ask for the scheduler's clock.
        SchedulerClock.EnsureStarted(Context.System.Scheduler);
        if (_passivateAfter is { } after)
        {
            var every = after / 2 > TimeSpan.Zero ? after / 2 : after;
            _idleCheck = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(every, every, Self, IdleCheck.Instance, Self);
        }
    }

    protected override void PostStop() => _idleCheck?.Cancel();

    /// <summary>The router of <paramref name="registration"/>'s devices, passivating them after its <see cref="DeviceOptions.PassivateAfter"/>.</summary>
    public static Props Props(DeviceBehaviorRegistration registration)
    {
        var entityProps = registration.EntityProps; // one for all: the actor learns its device from its name
        return Props(_ => entityProps, registration.Options.PassivateAfter);
    }

    /// <summary>
    /// A router of the actors <paramref name="entityProps"/> makes, stopping those without a command for
    /// <paramref name="passivateAfter"/> with <paramref name="stopMessage"/> (<b>default</b>: the device actor's own stop message).
    /// </summary>
    public static Props Props(Func<DeviceId, Props> entityProps, TimeSpan? passivateAfter = null, object? stopMessage = null)
    {
        var stop = stopMessage ?? DeviceSharding.HandOffStopMessage;
        return Akka.Actor.Props.Create(() => new DeviceRouter(entityProps, passivateAfter, stop));
    }

    private void Route(IDeviceCommand command)
    {
        var id = DeviceEntity.IdOf(command);
        if (_passivating.TryGetValue(id, out var buffer))
        {
            buffer.Add(new Buffered(command, Sender));
            return;
        }
        var entity = _entities.TryGetValue(id, out var known) ? known : Spawn(id, command.Device);
        entity.LastCommand = Environment.TickCount64;
        entity.Ref.Forward(command);
    }

    private void PassivateIdle()
    {
        var idleSince = Environment.TickCount64 - (long)_passivateAfter!.Value.TotalMilliseconds;
        foreach (var entity in _entities.Values)
        {
            if (entity.LastCommand > idleSince || _passivating.ContainsKey(entity.Id)) continue;
            _log.Debug("Device {Device} idle for {PassivateAfter}; passivating", entity.Device, _passivateAfter);
            _passivating[entity.Id] = [];
            entity.Ref.Tell(_stopMessage);
        }
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
        next.LastCommand = Environment.TickCount64;
        foreach (var item in buffer) next.Ref.Tell(item.Command, item.Sender);
    }

    private Entity Spawn(string id, DeviceId device)
    {
        var child = Context.ActorOf(_entityProps(device), DeviceEntity.ActorNameOf(id));
        Context.Watch(child);
        var entity = new Entity(id, device, child);
        _entities[id] = entity;
        _byRef[child] = entity;
        return entity;
    }

    private sealed class Entity(string id, DeviceId device, IActorRef actor)
    {
        public string Id { get; } = id;

        public DeviceId Device { get; } = device;

        public IActorRef Ref { get; } = actor;

        /// <summary><see cref="Environment.TickCount64"/> when the last command was forwarded.</summary>
        public long LastCommand { get; set; }
    }

    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed record Buffered(IDeviceCommand Command, IActorRef Sender);
}
