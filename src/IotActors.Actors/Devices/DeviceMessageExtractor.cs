using Akka.Cluster.Sharding;

namespace IotActors.Actors.Devices;

/// <summary>
/// Maps every <see cref="IDeviceCommand"/> to its entity (<c>productKey/deviceName</c>, <see cref="DeviceEntity.IdOf"/>) and
/// shard (Murmur hash modulo the shard count, the same as <see cref="DeviceEntity.ShardOf"/>). The command itself is
/// delivered to the entity unchanged. Any other message is not a device message and is dropped by the region.
/// </summary>
public sealed class DeviceMessageExtractor(int maxNumberOfShards = DeviceEntity.DefaultShardCount) : HashCodeMessageExtractor(maxNumberOfShards)
{
    public override string? EntityId(object message) => message is IDeviceCommand command ? DeviceEntity.IdOf(command) : null;
}
