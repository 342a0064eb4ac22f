using System.Reflection;

namespace IotActors.TestKit.Cluster;

/// <summary>The cluster HOCON a test node runs: the host's own <c>cluster.conf</c> with its timers shortened for tests.</summary>
internal static class ClusterTimings
{
    /// <summary>Prepended (wins): failures are detected and downed in seconds, shards and connections move soon after.</summary>
    public const string Fast = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
        akka.cluster.failure-detector.heartbeat-interval = 500ms
        akka.cluster.sharding.rebalance-interval = 1s
        akka.cluster.sharding.handoff-timeout = 20s
        akka.cluster.sharding.retry-interval = 200ms
        akka.cluster.sharding.coordinator-failure-backoff = 1s
        akka.cluster.sharding.distributed-data.majority-min-cap = 1
        akka.cluster.distributed-data.gossip-interval = 500ms
        # Crashes are simulated by terminating the actor system without the graceful shutdown; a graceful stop runs it explicitly.
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.coordinated-shutdown.exit-clr = off
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 30s
        """;

    /// <summary>hocon/cluster.conf as shipped with the host (embedded at build time).</summary>
    public static string ClusterConf { get; } = Load();

    private static string Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("IotActors.TestKit.cluster.conf")
            ?? throw new InvalidOperationException("cluster.conf is not embedded in IotActors.TestKit.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
