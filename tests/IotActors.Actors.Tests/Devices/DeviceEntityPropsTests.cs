using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Devices;

/// <summary>Device actors made from the one Props of their registration learn their device from their name.</summary>
public class DeviceEntityPropsTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void Every_device_actor_of_a_router_knows_its_own_device_and_has_a_behavior_of_its_own()
    {
        var behaviors = new ConcurrentBag<RecordingBehavior>();
        var applied = new ConcurrentQueue<(DeviceId Device, string MessageId)>();
        var registration = DeviceBehaviorRegistration.For(() =>
        {
            var behavior = new RecordingBehavior(onApplied: (device, messageId) => applied.Enqueue((device, messageId)));
            behaviors.Add(behavior);
            return behavior;
        });
        var router = Sys.ActorOf(DeviceRouter.Props(registration));
        // Names the escaping changes (the actor's name is the escaped entity ID) and a plain one.
        DeviceId[] devices = [TestDevices.Device, new("a1Bc", "dev_02@site.b:7"), new("k9 Zz", "ü-03")];

        foreach (var (device, i) in devices.Select((d, i) => (d, i)))
        {
            router.Tell(TestDevices.Envelope(device, "m" + i, 1));
            ExpectMsg<Processed>();
        }

        Assert.Equal(devices.Select((d, i) => (d, "m" + i)), applied);
        Assert.Equal(3, behaviors.Distinct().Count());
        router.Tell(new GetDeviceState(devices[1]));
        Assert.Equal(devices[1], ExpectMsg<DeviceStateReply>().Device);
    }

    [Theory]
    [InlineData("a1Bc/dev01")]
    [InlineData("a1Bc/dev_02@site.b:7")]
    [InlineData("k9 Zz/ü-03%2F")]
    public void An_actor_name_gives_back_the_device_it_was_made_from(string entityId)
    {
        var device = DeviceSharding.ParseEntityId(entityId);

        Assert.Equal(device, DeviceEntity.DeviceOfActorName(DeviceEntity.ActorNameOf(entityId)));
    }

    [Fact]
    public void Devices_of_one_product_share_one_product_key_string()
    {
        // Names decoded apart: each decoding makes strings of its own, the product key is then the pool's instance.
        var first = DeviceEntity.DeviceOfActorName(DeviceEntity.ActorNameOf("pkShared01/dev-1"));
        var second = DeviceEntity.DeviceOfActorName(DeviceEntity.ActorNameOf("pkShared01/dev-2"));

        Assert.Equal(("pkShared01", "dev-1"), (first.ProductKey, first.DeviceName));
        Assert.Same(first.ProductKey, second.ProductKey);
    }

    [Fact]
    public void A_string_pool_gives_one_instance_per_value_until_it_is_full()
    {
        var pool = new BoundedStringPool(capacity: 2);
        string Fresh(string value) => new(value.AsSpan());

        var a = pool.Intern(Fresh("a"));
        Assert.Same(a, pool.Intern(Fresh("a")));
        var b = pool.Intern(Fresh("b"));
        Assert.Same(b, pool.Intern(Fresh("b")));

        var c = Fresh("c"); // past the capacity: kept as given
        Assert.Same(c, pool.Intern(c));
        Assert.NotSame(c, pool.Intern(Fresh("c")));
        Assert.Same(a, pool.Intern(Fresh("a")));

        // Looked up by characters (the twin's identifiers, decoded from a body): the pooled instance, or a new string once full.
        Assert.Same(b, pool.Intern("xbx".AsSpan(1, 1)));
        Assert.Equal("c", pool.Intern("c".AsSpan()));
        Assert.NotSame(pool.Intern("c".AsSpan()), pool.Intern("c".AsSpan()));
    }

    [Fact]
    public void A_name_that_is_not_a_device_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DeviceEntity.DeviceOfActorName("not-a-device"));
    }
}
