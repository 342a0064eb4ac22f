using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using AkkaCluster = Akka.Cluster.Cluster;
using HostingClusterOptions = Akka.Cluster.Hosting.ClusterOptions;

namespace IotActors.Actors.Cluster;

/// <summary>Akka.Hosting registration of the cluster: <c>builder.WithIotCluster(options).WithIotConsumer(platform)</c>.</summary>
public static class IotClusterHostingExtensions
{
    /// <summary>
    /// Makes this actor system a cluster node: Akka.Remote on <see cref="ClusterOptions.Hostname"/>:<see cref="ClusterOptions.Port"/>,
    /// Akka.Cluster with the seed nodes and the split-brain resolver. With it, <c>WithDeviceRegion</c> starts devices as
    /// Cluster Sharding entities and <c>WithIotConsumer</c> runs each client ID's connection as a sharded daemon process
    /// (exactly one in the cluster). Without seed nodes the node joins itself: a cluster of one, same code path.
    /// </summary>
    /// <remarks>The actor system must be named <see cref="ClusterOptions.SystemName"/> for the seed addresses to match.</remarks>
    /// <exception cref="ArgumentException">The options are invalid; the message names every bad setting.</exception>
    public static AkkaConfigurationBuilder WithIotCluster(this AkkaConfigurationBuilder builder, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("Invalid cluster options: " + string.Join(" ", problems), nameof(options));
        if (builder.Setups.OfType<IotClusterSetup>().Any())
            throw new InvalidOperationException("WithIotCluster was already called on this builder.");
        var copy = options.Copy();
        builder.AddSetup(new IotClusterSetup(copy));

        SplitBrainResolverOption resolver = copy.SplitBrainStrategy switch
        {
            SplitBrainStrategy.KeepOldest => new KeepOldestOption { DownIfAlone = copy.DownIfAlone },
            _ => new KeepMajorityOption(),
        };
        builder.AddHocon(
            $"akka.cluster.split-brain-resolver.stable-after = {((long)copy.DownStableAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms",
            HoconAddMode.Prepend);

        builder
            .WithRemoting(new RemoteOptions
            {
                HostName = copy.Hostname,
                Port = copy.Port,
                PublicHostName = copy.PublicHostname,
            })
            .WithClustering(new HostingClusterOptions
            {
                SeedNodes = [.. copy.SeedNodes],
                Roles = [.. copy.Roles],
                SplitBrainResolver = resolver,
            });

        if (copy.SeedNodes.Count == 0)
        {
            // A cluster of one: join our own address once it is bound (the port may be 0 until then).
            builder.AddStartup((system, _) =>
            {
                var cluster = AkkaCluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }
        return builder;
    }

    /// <summary>True when <paramref name="system"/> runs Akka.Cluster (the device region and the consumer then shard).</summary>
    public static bool IsClustered(ActorSystem system) =>
        system is ExtendedActorSystem extended && extended.Provider is Akka.Cluster.IClusterActorRefProvider;

    /// <summary>The cluster options registered with <see cref="WithIotCluster"/>, or defaults for a system configured otherwise.</summary>
    public static ClusterOptions OptionsOf(ActorSystem system) =>
        system.Settings.Setup.Get<IotClusterSetup>().Select(s => s.Options).GetOrElse(new ClusterOptions());
}
