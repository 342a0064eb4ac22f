using System.Security.Cryptography.X509Certificates;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using IotActors.Actors.Cluster;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Platform.Amqp;
using IotActors.Platform.Options;

namespace IotActors.Actors.Hosting;

/// <summary>Akka.Hosting registration of the platform consumer: <c>builder.WithIotConsumer(platform).WithDeviceBehavior&lt;…&gt;()</c>.</summary>
public static class IotConsumerHostingExtensions
{
    /// <summary>
    /// Starts one connection per configured client ID (each under its backoff supervisor) for the
    /// consumer group, routing every message to the device region (the built-in twin unless
    /// <c>WithDeviceBehavior</c> registers another). On shutdown the consumer stops credit, lets
    /// in-flight deliveries finish and be accepted, and closes, before the actor system ends.
    /// </summary>
    /// <remarks>
    /// On a cluster node (<c>WithIotCluster</c>) each client ID is a sharded daemon process instance
    /// (<see cref="ConnectionDaemon"/>): exactly one live connection per client ID across the cluster, started again on
    /// another node when its node leaves or dies. Every node must then be configured with the same client IDs in the same
    /// order. The connect-attempt budget (<see cref="ConsumerOptions.ConnectAttemptsPerMinute"/>) is per node.
    /// </remarks>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="platform">Endpoint, credentials, consumer group and client IDs; validated here.</param>
    /// <param name="consumer">Reconnect, deadline and shutdown settings; default <see cref="ConsumerOptions"/>.</param>
    /// <param name="trustedRoots">Extra trusted roots; default: <see cref="PlatformOptions.TrustedRootCa"/>.</param>
    /// <param name="endpointFactory">
    /// How to build each attempt's endpoint; default <see cref="PlatformEndpoints.CreateEndpoint"/>
    /// (freshly signed every time). A seam for tests and for routing through a proxy.
    /// </param>
    /// <exception cref="PlatformOptionsException">The platform options are invalid.</exception>
    /// <exception cref="ArgumentException">The consumer options are invalid.</exception>
    public static AkkaConfigurationBuilder WithIotConsumer(this AkkaConfigurationBuilder builder, PlatformOptions platform,
        ConsumerOptions? consumer = null, X509Certificate2Collection? trustedRoots = null, Func<string, ReceiverEndpoint>? endpointFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(platform);
        PlatformOptionsValidator.ThrowIfInvalid(platform);
        consumer ??= new ConsumerOptions();
        var problems = consumer.Validate();
        if (problems.Count > 0) throw new ArgumentException("Invalid consumer options: " + string.Join(" ", problems), nameof(consumer));

        if (trustedRoots is null && !string.IsNullOrEmpty(platform.TrustedRootCa)) trustedRoots = CertificateTrust.LoadPem(platform.TrustedRootCa);
        endpointFactory ??= clientId => platform.CreateEndpoint(clientId, trustedRoots);

        // The unbind phase must outlast the drain, or shutdown cuts it short.
        var unbind = consumer.DrainTimeout + TimeSpan.FromSeconds(10);
        builder.AddHocon($"akka.coordinated-shutdown.phases.service-unbind.timeout = {(long)unbind.TotalMilliseconds}ms", HoconAddMode.Prepend);

        return builder
            .WithDeviceRegion()
            .WithActors((system, registry) =>
            {
                var devices = registry.Get<DeviceRegion>();
                var clientIds = platform.ClientIds.ToList();
                var name = "consumer-" + Uri.EscapeDataString(platform.ConsumerGroupId);
                IActorRef supervisor;
                if (IotClusterHostingExtensions.IsClustered(system))
                {
                    supervisor = system.ActorOf(ConsumerSupervisor.PropsForCluster(platform.ConsumerGroupId, clientIds), name);
                    StartConnectionDaemons(system, platform.ConsumerGroupId, clientIds, endpointFactory, devices, consumer, supervisor);
                }
                else
                {
                    supervisor = system.ActorOf(ConsumerSupervisor.Props(platform.ConsumerGroupId, clientIds, endpointFactory, devices, consumer), name);
                }
                registry.Register<IotConsumer>(supervisor);

                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "iotactors-stop-consuming", async () =>
                {
                    try
                    {
                        await supervisor.Ask<ConsumingStopped>(StopConsuming.Instance, unbind);
                    }
                    catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                    {
                        // What is still unsettled is redelivered by the platform; nothing is lost by giving up here.
                        system.Log.Warning("Consumer did not stop within {0}; closing anyway", unbind);
                    }
                    return Done.Instance;
                });
            });
    }

    /// <summary>Sharded daemon process name of a consumer group's connections.</summary>
    public static string ConnectionDaemonName(string consumerGroupId) => "connections-" + Uri.EscapeDataString(consumerGroupId);

    /// <summary>
    /// Starts this node's part of the sharded daemon process that runs one <see cref="ConnectionDaemon"/> per client ID
    /// (instance <c>i</c> = <c>clientIds[i]</c>); the instances that land on this node report to <paramref name="consumer"/>.
    /// </summary>
    public static void StartConnectionDaemons(ActorSystem system, string consumerGroupId, IReadOnlyList<string> clientIds,
        Func<string, ReceiverEndpoint> endpointFactory, IActorRef devices, ConsumerOptions options, IActorRef consumer)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(clientIds);
        var cluster = IotClusterHostingExtensions.OptionsOf(system);
        // One budget for all the connections this node runs (per node, not per cluster).
        var budget = new ConnectAttemptBudget(options.ConnectAttemptsPerMinute);
        // Get the extensions first: they load the default configuration the settings read.
        var daemons = ShardedDaemonProcess.Get(system);
        ClusterSharding.Get(system);
        // Sharding's idle passivation must never stop a connection: it receives no messages through its shard.
        var sharding = ClusterShardingSettings.Create(system).WithPassivateIdleAfter(TimeSpan.Zero).WithRememberEntities(false);
        var settings = ShardedDaemonProcessSettings.Create(system)
            .WithKeepAliveInterval(cluster.ConnectionKeepAlive)
            .WithShardingSettings(sharding);
        var ids = clientIds.ToArray();
        daemons.Init(ConnectionDaemonName(consumerGroupId), ids.Length,
            i => ConnectionDaemon.Props(consumerGroupId, ids[i], () => endpointFactory(ids[i]), devices, options, budget, consumer),
            settings, StopConnectionDaemon.Instance);
    }
}
