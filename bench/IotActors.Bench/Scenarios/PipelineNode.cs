using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using IotActors.Actors.Cluster;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Actors.Hosting;
using IotActors.Actors.Persistence;
using IotActors.Actors.Serialization;
using IotActors.Actors.Twin;
using IotActors.Platform.Options;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IotActors.Bench.Scenarios;

/// <summary>
/// An IotActors node wired the way <c>iot-actors run</c> wires it (Akka.Hosting: base.conf, a cluster of one with
/// cluster.conf, <c>WithDevicePersistence</c>, the built-in twin through <c>WithDeviceBehavior</c>,
/// <c>WithIotConsumer</c>), minus the HTTP API and console view. Without a platform it runs devices only (probes).
/// </summary>
public sealed class PipelineNode : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineNode(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        Devices = registry.Get<DeviceRegion>();
    }

    public ActorSystem System { get; }

    /// <summary>The device region (sharding region in a cluster, the local router otherwise).</summary>
    public IActorRef Devices { get; }

    /// <summary>hocon/ next to the bench (copied from the repository's hocon/ at build time, as the host ships it).</summary>
    public static string HoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    public static async Task<PipelineNode> StartAsync(PipelineNodeOptions options, CancellationToken cancellationToken = default)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(ClusterOptions.SystemName, (akka, _) =>
            {
                akka.AddHoconFile(Path.Combine(HoconDirectory, "base.conf"), HoconAddMode.Append);
                // Only errors on the console: a benchmark's teardown closes connections on purpose.
                akka.AddHocon(options.Verbose ? "akka.loglevel = WARNING" : "akka.loglevel = ERROR\nakka.log-dead-letters = off", HoconAddMode.Prepend);
                // The process belongs to the bench, not to Akka: a Ctrl+C must not run coordinated shutdown behind our back.
                akka.AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
                if (options.Topology == Topology.Cluster)
                {
                    // A cluster of one on a free loopback port, exactly the host's code path.
                    akka.WithIotActorsCluster(key => key == "Cluster:Port" ? "0" : null, HoconDirectory);
                }
                if (options.SqliteAsBefore && options.Persistence.Provider == DevicePersistenceProvider.Sqlite) WithSqliteAsBefore(akka, options.Persistence);
                else akka.WithDevicePersistence(options.Persistence);
                // State writes as the host picks them for the store (when a device stops, in memory), then the run's own settings.
                akka.WithDeviceBehavior<DeviceTwinBehavior, DeviceTwin>(o =>
                {
                    o.StateWrites = options.Persistence.DefaultStateWrites;
                    options.ConfigureDevices?.Invoke(o);
                });
                if (options.Platform is { } platform) akka.WithIotConsumer(platform, options.Consumer, options.TrustedRoots);
            }))
            .Build();
        await host.StartAsync(cancellationToken);
        return new PipelineNode(host);
    }

    /// <summary>
    /// SQLite wired as <c>WithDevicePersistence</c> did before the bench's fix: Akka.Persistence.Sql with the connection
    /// string alone (rollback journal, no busy timeout). Only for before/after figures.
    /// </summary>
    private static void WithSqliteAsBefore(AkkaConfigurationBuilder akka, DevicePersistenceOptions persistence)
    {
        var directory = Path.GetFullPath(persistence.DataDirectory);
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, DevicePersistenceOptions.SqliteFileName) }.ToString();
        akka.WithIotActorsSerialization();
        akka.WithSqlPersistence(connectionString, ProviderName.SQLiteMS, autoInitialize: true);
    }

    public async ValueTask DisposeAsync()
    {
        // Coordinated shutdown: the consumer drains and closes, shards hand off, the node leaves its cluster of one.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}

/// <summary>What a <see cref="PipelineNode"/> runs.</summary>
public sealed record PipelineNodeOptions
{
    public Topology Topology { get; init; } = Topology.Cluster;
    public required DevicePersistenceOptions Persistence { get; init; }
    public Action<DeviceOptions>? ConfigureDevices { get; init; }

    /// <summary>null: devices only, no consumer.</summary>
    public PlatformOptions? Platform { get; init; }
    public ConsumerOptions Consumer { get; init; } = new() { ConnectAttemptsPerMinute = 100, JitterSeed = 5 };
    public X509Certificate2Collection? TrustedRoots { get; init; }
    public bool Verbose { get; init; }

    /// <summary>SQLite as it was wired before the busy-timeout/WAL fix (before/after figures only).</summary>
    public bool SqliteAsBefore { get; init; }
}
