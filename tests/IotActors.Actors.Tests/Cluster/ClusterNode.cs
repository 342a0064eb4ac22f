using IotActors.Actors.Persistence;
using IotActors.Actors.Serialization;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Hosting;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Cluster;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Actors.Devices.Mailbox;
using IotActors.Actors.Hosting;
using IotActors.Platform.Options;
using AkkaCluster = Akka.Cluster.Cluster;

namespace IotActors.Actors.Tests.Cluster;

/// <summary>
/// One cluster node inside the test process: an actor system named like production with real remoting on 127.0.0.1
/// (a free port), the device region and consumer started by the same code as <c>WithDeviceRegion</c>/<c>WithIotConsumer</c>
/// on a cluster node, and hocon/cluster.conf with timings shortened for tests.
/// </summary>
internal sealed class ClusterNode
{
    private ClusterNode(ActorSystem system, IActorRef devices, IActorRef consumer)
    {
        System = system;
        Devices = devices;
        Consumer = consumer;
    }

    public ActorSystem System { get; }
    public IActorRef Devices { get; }
    public IActorRef Consumer { get; }
    public Address Address => AkkaCluster.Get(System).SelfAddress;

    /// <param name="crashable">Terminating the system does not leave the cluster (no coordinated shutdown): a crash as the others see it.</param>
    public static ClusterNode Start(Address? seed, PlatformOptions platform, X509Certificate2 root, DeviceBehaviorRegistration behavior,
        ConsumerOptions consumer, bool crashable = false, Config? persistence = null)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            # Real remoting already sends every cross-node message through the registered serializers. The extra
            # in-process check (serialize-messages) is on in the device and connection suites; here it trips over
            # Akka's own sharding-coordinator internals, which are never meant to be serialized locally.
            akka.actor.serialize-messages = off
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.cluster.split-brain-resolver.active-strategy = keep-majority
            akka.cluster.split-brain-resolver.stable-after = 2s
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
            akka.cluster.sharding.rebalance-interval = 1s
            akka.cluster.sharding.handoff-timeout = 20s
            akka.cluster.sharding.retry-interval = 200ms
            akka.cluster.sharding.coordinator-failure-backoff = 1s
            akka.cluster.sharding.distributed-data.majority-min-cap = 1
            akka.coordinated-shutdown.run-by-actor-system-terminate = {{(crashable ? "off" : "on")}}
            akka.coordinated-shutdown.exit-clr = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 30s
            """)
            .WithFallback(persistence ?? DevicePersistenceHostingExtensions.InMemoryConfig)
            .WithFallback(IotActorsSerialization.Config)
            .WithFallback(CompactDequeMailbox.Hocon) // device actors in the mailbox the host gives them
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(HoconDirectory, IotActorsClusterHosting.HoconFileName))));
        var options = new ClusterOptions { Port = 0, DownStableAfter = TimeSpan.FromSeconds(2), ConnectionKeepAlive = TimeSpan.FromMilliseconds(500) };
        var setup = BootstrapSetup.Create().WithConfig(config).And(new DeviceBehaviorSetup(behavior)).And(new IotClusterSetup(options));
        var system = ActorSystem.Create(ClusterOptions.SystemName, setup);

        var cluster = AkkaCluster.Get(system);
        cluster.Join(seed ?? cluster.SelfAddress);

        var registry = ActorRegistry.For(system);
        var devices = DeviceHostingExtensions.StartDeviceRegion(system, registry);
        X509Certificate2Collection roots = [root];
        var supervisor = system.ActorOf(ConsumerSupervisor.PropsForCluster(platform.ConsumerGroupId, platform.ClientIds), "consumer");
        IotConsumerHostingExtensions.StartConnectionDaemons(system, platform.ConsumerGroupId, platform.ClientIds,
            clientId => platform.CreateEndpoint(clientId, roots), devices, consumer, supervisor);
        return new ClusterNode(system, devices, supervisor);
    }

    /// <summary>
    /// The HOCON that <c>WithDevicePersistence</c> produces for a store (journal + snapshot store), for nodes built
    /// without Akka.Hosting: every node given the same connection string shares one journal, as a real cluster does.
    /// </summary>
    public static Config PersistenceConfig(DevicePersistenceOptions options)
    {
        var builder = new AkkaConfigurationBuilder(new Microsoft.Extensions.DependencyInjection.ServiceCollection(), "config-only");
        builder.WithDevicePersistence(options);
        return builder.Configuration.GetOrElse(Config.Empty);
    }

    /// <summary>hocon/ of the repository (what the host ships), found from this source file's location.</summary>
    public static string HoconDirectory => FindHocon();

    private static string FindHocon([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(source)!);
        for (var i = 0; i < 6 && directory is not null; i++, directory = directory.Parent)
        {
            var hocon = Path.Combine(directory.FullName, "hocon");
            if (File.Exists(Path.Combine(hocon, IotActorsClusterHosting.HoconFileName))) return hocon;
        }
        throw new DirectoryNotFoundException("hocon/cluster.conf not found above " + source);
    }

    public Task<ClusterConnectionStatuses> ClusterConnectionsAsync() =>
        Consumer.Ask<ClusterConnectionStatuses>(GetClusterConnectionStatuses.Instance, TimeSpan.FromSeconds(10));

    public async Task<int> LocalDeviceCountAsync()
    {
        var state = await Devices.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
        return state.Shards.Sum(s => s.EntityIds.Count);
    }
}
