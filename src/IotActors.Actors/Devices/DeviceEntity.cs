using Akka.Util;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// How devices map to entities and shards. The entity ID is <c>productKey/deviceName</c>; the shard is
/// the same Murmur hash Akka.Cluster.Sharding's <c>HashCodeMessageExtractor</c> uses, so the sharding
/// extractor can be built on it without moving any entity.
/// </summary>
public static class DeviceEntity
{
    /// <summary><b>Default</b> number of shards: 100 (about 10 per node for a cluster of up to 10 nodes).</summary>
    public const int DefaultShardCount = 100;

    /// <summary>The entity ID of the device a command is for: <c>productKey/deviceName</c>.</summary>
    public static string IdOf(IDeviceCommand command) => command is DeviceEnvelope envelope ? envelope.EntityId : command.Device.ToString();

    /// <summary>Stable shard ID (<c>"0"</c> … <c>shardCount−1</c>) of an entity, identical in every process.</summary>
    public static string ShardOf(string entityId, int shardCount = DefaultShardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        // long: Math.Abs(int.MinValue) would overflow; for every other hash this equals Akka's result.
        var hash = Math.Abs((long)MurmurHash.StringHash(entityId));
        return (hash % shardCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A valid, unique actor name for an entity ID: percent-encoded like Akka.Cluster.Sharding names
    /// its entities (<c>a1Bc/dev01</c> becomes <c>a1Bc%2Fdev01</c>).
    /// </summary>
    public static string ActorNameOf(string entityId) => Uri.EscapeDataString(entityId);

    /// <summary>
    /// The device an actor named by <see cref="ActorNameOf"/> (or by a shard, which names its entities alike) is for, its
    /// product key the process's one instance of it (<see cref="ProductKeys"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not an escaped <c>productKey/deviceName</c>.</exception>
    internal static DeviceId DeviceOfActorName(string actorName)
    {
        var device = DeviceSharding.ParseEntityId(Uri.UnescapeDataString(actorName));
        return device with { ProductKey = ProductKeys.Intern(device.ProductKey) };
    }

    /// <summary>
    /// Product keys of the devices this process has created: a fleet has a few products and many devices, and each
    /// resident device kept a copy of its product key (~40 B; BENCHMARKS.md round 13).
    /// </summary>
    internal static readonly BoundedStringPool ProductKeys = new(4_096);
}
