using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Cluster;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Serialization;
using IotActors.Actors.Tests.Devices;
using AkkaCluster = Akka.Cluster.Cluster;

namespace IotActors.Actors.Tests.Cluster;

/// <summary>
/// Under Cluster Sharding an idle device is passivated by its shard after <see cref="DeviceOptions.PassivateAfter"/>
/// (the device keeps no timer of its own) and its next message meets a new incarnation with the state of the last.
/// A cluster of one node with the shipped hocon/cluster.conf, which turns sharding's idle passivation off for every
/// other region.
/// </summary>
public class ShardedPassivationTests() : TestKit(Config)
{
    private static readonly Config Config = ConfigurationFactory.ParseString(
            """
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.test.single-expect-default = 10s
            """)
        .WithFallback(DevicePersistenceHostingExtensions.InMemoryConfig)
        .WithFallback(IotActorsSerialization.Config)
        .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(ClusterNode.HoconDirectory, IotActorsClusterHosting.HoconFileName))));

    [Fact]
    public void An_idle_sharded_device_is_passivated_by_its_shard_and_the_next_message_recovers_its_state()
    {
        var cluster = AkkaCluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitAssert(() => Assert.Equal(Akka.Cluster.MemberStatus.Up, cluster.SelfMember.Status), TimeSpan.FromSeconds(20));
        var options = new DeviceOptions { PassivateAfter = TimeSpan.FromMilliseconds(500) };
        var region = DeviceSharding.StartRegion(Sys, DeviceBehaviorRegistration.For(() => new RecordingBehavior(), options));

        region.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied, TimeSpan.FromSeconds(20));
        var first = LastSender;
        Watch(first);
        ExpectTerminated(first, TimeSpan.FromSeconds(10));

        region.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 2));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Duplicate); // the window came back
        Assert.NotEqual(first, LastSender);
        region.Tell(new GetDeviceState(TestDevices.Device));
        var reply = ExpectMsg<DeviceStateReply>();
        Assert.Equal(["m1"], Assert.IsType<ImmutableList<string>>(reply.State));
        Assert.Equal((1L, 1L), (reply.MessagesApplied, reply.DuplicatesDropped));
    }
}
