using Akka.Actor;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Devices;

public class DeviceEntityTests
{
    [Fact]
    public void Entity_id_is_product_key_slash_device_name()
    {
        Assert.Equal("a1Bc/dev01", DeviceEntity.IdOf(new GetDeviceState(new DeviceId("a1Bc", "dev01"))));
    }

    [Fact]
    public void An_envelope_carries_its_entity_id_and_keeps_it_in_step_with_its_device()
    {
        var envelope = TestDevices.Envelope(new DeviceId("a1Bc", "dev01"), "m1", 1);
        var moved = envelope with { Device = new DeviceId("a1Bc", "dev02") };

        Assert.Equal("a1Bc/dev01", envelope.EntityId);
        Assert.Equal("a1Bc/dev01", DeviceEntity.IdOf(envelope));
        Assert.Equal("a1Bc/dev01", new DeviceMessageExtractor().EntityId(envelope));
        Assert.Equal("a1Bc/dev02", moved.EntityId);
        Assert.Equal(envelope, envelope with { });
        Assert.NotEqual(envelope, moved);
        Assert.Equal(envelope, moved with { Device = envelope.Device });
    }

    [Fact]
    public void Shard_is_stable_and_within_range()
    {
        // Pinned: a different shard for the same device after an upgrade would move every entity.
        Assert.Equal(ExpectedShardOfDev01, DeviceEntity.ShardOf("a1Bc/dev01"));
        Assert.Equal("0", DeviceEntity.ShardOf("a1Bc/dev01", shardCount: 1));

        var shards = Enumerable.Range(0, 10_000).Select(i => int.Parse(DeviceEntity.ShardOf($"a1Bc/dev{i}"))).ToList();
        Assert.All(shards, s => Assert.InRange(s, 0, DeviceEntity.DefaultShardCount - 1));
        Assert.True(shards.Distinct().Count() > 95, "10,000 devices should spread over (nearly) all 100 shards");
    }

    [Theory]
    [InlineData("a1Bc/dev01", "a1Bc%2Fdev01")]
    [InlineData("a1Bc/$dev 01", "a1Bc%2F%24dev%2001")]
    [InlineData("a1Bc/dev%2F01", "a1Bc%2Fdev%252F01")]
    public void Actor_name_is_the_percent_encoded_entity_id(string entityId, string name)
    {
        Assert.Equal(name, DeviceEntity.ActorNameOf(entityId));
        Assert.True(ActorPath.IsValidPathElement(name));
    }

    private const string ExpectedShardOfDev01 = "91";
}
