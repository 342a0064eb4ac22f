using Akka.Actor;
using Akka.Cluster.Sharding;
using IotActors.Actors.Behaviors;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// Devices as Akka.Cluster.Sharding entities: the region that replaces <see cref="DeviceRouter"/> in a cluster, behind
/// the same <see cref="DeviceRegion"/> key and with the same messages.
/// </summary>
/// <remarks>
/// <para><b>State store:</b> distributed data (no journal needed for the coordinator); entities are not remembered:
/// a device starts on its next message.</para>
/// <para><b>Passivation</b> is sharding's own idle passivation, set to <see cref="DeviceOptions.PassivateAfter"/>: each
/// shard keeps the time of every entity's last message and, every half of that, hands the idle ones <c>StopDevice</c>
/// (an idle device stops between 1 and 1.5 times <c>PassivateAfter</c> after its last message). While a device passivates
/// the shard buffers its messages and starts a new incarnation for them.</para>
/// <para><b>Rebalance and node leave:</b> the shard hands each entity <c>StopDevice</c> (not <c>PoisonPill</c>), which the
/// device handles after the commands already in its mailbox and, while retrying a message, only after that message is
/// settled; commands that arrive during the hand-off are buffered by the regions and delivered at the new home.</para>
/// </remarks>
public static class DeviceSharding
{
    /// <summary>Sharding type name of the device entities.</summary>
    public const string TypeName = "devices";

    /// <summary>The message a shard hands a device to stop it on passivation, rebalance or node leave.</summary>
    public static object HandOffStopMessage => StopDevice.Instance;

    /// <summary>Starts (or returns) the device shard region of this node.</summary>
    public static IActorRef StartRegion(ActorSystem system, DeviceBehaviorRegistration registration, int shardCount = DeviceEntity.DefaultShardCount)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(registration);
        // Get the extension first: it loads sharding's default configuration that the settings read.
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system)
            .WithStateStoreMode(StateStoreMode.DData)
            .WithRememberEntities(false)
            .WithPassivateIdleAfter(registration.Options.PassivateAfter);
        var extractor = new DeviceMessageExtractor(shardCount);
#pragma warning disable CS0618 // the synchronous Start: hosting start-up callbacks are synchronous, and it blocks only until the local region exists.
        var entityProps = registration.EntityProps; // one for all: the actor learns its device from its name
        return sharding.Start(TypeName, _ => entityProps, settings, extractor,
            sharding.DefaultShardAllocationStrategy(settings), HandOffStopMessage);
#pragma warning restore CS0618
    }

    /// <summary>The device an entity ID (<c>productKey/deviceName</c>) names.</summary>
    /// <exception cref="ArgumentException">The ID is not <c>productKey/deviceName</c>.</exception>
    public static DeviceId ParseEntityId(string entityId) =>
        DeviceId.TryParse(entityId, out var device) ? device : throw new ArgumentException($"'{entityId}' is not a device entity ID (productKey/deviceName).", nameof(entityId));
}
