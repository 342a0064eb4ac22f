using System.Security.Cryptography.X509Certificates;
using Akka.Hosting;
using IotActors.Actors.Connections;
using IotActors.Actors.Persistence;
using IotActors.Platform.Options;

namespace IotActors.TestKit.Cluster;

/// <summary>What every node of an <see cref="IotTestCluster"/> runs.</summary>
public sealed class IotTestClusterOptions
{
    /// <summary>Nodes started by <see cref="IotTestCluster.StartAsync"/>; 1 is a cluster of one (the same code path). <b>Default:</b> 1.</summary>
    public int Nodes { get; set; } = 1;

    /// <summary>The platform every node consumes (e.g. <c>EmulatedPlatform.PlatformOptions(...)</c>). Required.</summary>
    public PlatformOptions? Platform { get; set; }

    /// <summary>Roots to trust for the platform's certificate (e.g. <c>EmulatedPlatform.TrustedRoots</c>).</summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>Reconnect and deadline settings (see <see cref="TestConsumerOptions.For"/>). <b>Default:</b> production defaults.</summary>
    public ConsumerOptions Consumer { get; set; } = new();

    /// <summary>
    /// Where device state lives. Nodes share it, so use SQLite (one file) or PostgreSQL for more than one node;
    /// in memory, each node has its own store and a device that moves loses its state. <b>Default:</b> in memory.
    /// </summary>
    public DevicePersistenceOptions Persistence { get; set; } = new() { Provider = DevicePersistenceProvider.InMemory };

    /// <summary>Registers your behavior on each node: <c>akka =&gt; akka.WithDeviceBehavior(...)</c>. Without it, the built-in twin.</summary>
    public Action<AkkaConfigurationBuilder>? ConfigureDevices { get; set; }

    /// <summary>Extra HOCON for every node, applied over the test timings.</summary>
    public string? Hocon { get; set; }

    /// <summary>Where node lifecycle lines go (e.g. an xunit <c>ITestOutputHelper.WriteLine</c>).</summary>
    public Action<string>? Log { get; set; }
}
