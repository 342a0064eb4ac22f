using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using IotActors.Actors.Devices;
using IotActors.Actors.Devices.Mailbox;

namespace IotActors.Bench.Probes;

/// <summary>
/// Akka's floor under a device: sharded entities that hold nothing of ours and do nothing of ours, in regions set up as
/// the device region is (distributed-data coordinator, entities not remembered, idle passivation on, the device mailbox,
/// one Props for every entity, entity IDs of the devices' length). What such an entity costs, no device actor can cost
/// less: the idle-memory targets are judged against it (<see cref="FloorProbe"/>), and the floor scenarios put it under
/// the transport (<see cref="Scenarios.AkkaFloorConsumer"/>).
/// </summary>
public static class FloorEntities
{
    /// <summary>Sharding type name of the floor's entities.</summary>
    public const string TypeName = "floor";

    /// <summary>Starts the region of <see cref="EmptyEntity"/> (or, <paramref name="persistent"/>, of <see cref="PersistingEntity"/>).</summary>
    public static Task<IActorRef> StartRegionAsync(ActorSystem system, bool persistent, string typeName = TypeName)
    {
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system)
            .WithStateStoreMode(StateStoreMode.DData)
            .WithRememberEntities(false)
            // As the devices': a shard with idle passivation keeps every entity's last-message time.
            .WithPassivateIdleAfter(TimeSpan.FromDays(1));
        var props = (persistent ? Props.Create<PersistingEntity>() : Props.Create<EmptyEntity>()).WithMailbox(CompactDequeMailbox.Id);
        return sharding.StartAsync(typeName, props, settings, new Extractor(), sharding.DefaultShardAllocationStrategy(settings), PoisonPill.Instance);
    }
}

/// <summary>Starts (or reaches) the entity <see cref="EntityId"/>, which answers <see cref="FloorTouched"/>.</summary>
public sealed record FloorTouch(string EntityId);

/// <summary>An entity's answer to <see cref="FloorTouch"/> (a persistent one answers once recovered).</summary>
public sealed class FloorTouched
{
    public static readonly FloorTouched Instance = new();
    private FloorTouched() { }
}

/// <summary>
/// A delivery for an entity: it answers with this same message (a persisting entity once <see cref="Payload"/> is in
/// its journal). <see cref="Link"/> and <see cref="Delivery"/> are opaque to the entity; whoever is answered settles.
/// </summary>
public sealed record FloorWork(string EntityId, byte[] Payload, object Link, object Delivery, long ReceivedTimestamp);

/// <summary>An actor that holds nothing: Akka's actor, mailbox, death watch and sharding entries, and no more.</summary>
internal sealed class EmptyEntity : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FloorWork work: Sender.Tell(work); break;
            case FloorTouch: Sender.Tell(FloorTouched.Instance); break;
            default: Unhandled(message); break;
        }
    }
}

/// <summary>
/// A persistent actor that holds nothing: <see cref="EmptyEntity"/> plus what Akka.Persistence's <c>Eventsourced</c>
/// keeps (its logger, writer ID, stashes, batches). Each <see cref="FloorWork"/> is one event, its payload, answered
/// once written (<c>Persist</c>: later commands wait, as a device's do) — no snapshots, no deletions, no state. The
/// persistence ID is the actor's name, a string the actor's path already holds.
/// </summary>
internal sealed class PersistingEntity : PersistentActor
{
    private Action<byte[]>? _persisted; // made on the first write: an idle entity keeps no delegate
    private FloorWork? _writing;

    public PersistingEntity() => PersistenceId = Self.Path.Name;

    public override string PersistenceId { get; }

    protected override bool ReceiveRecover(object message) => true;

    protected override bool ReceiveCommand(object message)
    {
        switch (message)
        {
            case FloorWork work:
                _writing = work;
                Persist(work.Payload, _persisted ??= OnPersisted);
                return true;
            case FloorTouch:
                Sender.Tell(FloorTouched.Instance);
                return true;
            default:
                return false;
        }
    }

    // Persist restores the command's sender for its handler.
    private void OnPersisted(byte[] payload) => Sender.Tell(_writing);
}

/// <summary>Entity and shard as the device region computes them (<see cref="DeviceMessageExtractor"/>).</summary>
internal sealed class Extractor() : HashCodeMessageExtractor(DeviceEntity.DefaultShardCount)
{
    public override string? EntityId(object message) => message switch
    {
        FloorWork work => work.EntityId,
        FloorTouch touch => touch.EntityId,
        _ => null,
    };
}
