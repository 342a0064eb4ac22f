using Akka.Actor;
using Akka.Hosting;
using IotActors.Actors.Cluster;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Actors.Hosting;
using IotActors.Actors.Persistence;
using IotActors.Platform.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AkkaCluster = Akka.Cluster.Cluster;
using MemberStatus = Akka.Cluster.MemberStatus;

namespace IotActors.TestKit.Cluster;

/// <summary>
/// N IotActors nodes in the test process, each a real host built the way <c>iot-actors run</c> builds one
/// (<c>WithIotCluster</c>, <c>WithDevicePersistence</c>, your <c>WithDeviceBehavior</c>, <c>WithIotConsumer</c>), joined
/// over real remoting on loopback, with the shipped cluster settings and test-short timers. Nodes can be crashed,
/// stopped gracefully and restarted while traffic flows.
/// </summary>
public sealed class IotTestCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly IotTestClusterOptions _options;
    private readonly List<IotTestNode> _nodes = [];
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    private IotTestCluster(IotTestClusterOptions options) => _options = options;

    /// <summary>The latest incarnation of every node, by index (stopped ones included, see <see cref="IotTestNode.IsRunning"/>).</summary>
    public IReadOnlyList<IotTestNode> Nodes
    {
        get { lock (_nodes) return [.. _nodes]; }
    }

    public IReadOnlyList<IotTestNode> RunningNodes => Nodes.Where(n => n.IsRunning).ToList();

    /// <summary>Starts <see cref="IotTestClusterOptions.Nodes"/> nodes (the first is the seed) and waits until all are Up.</summary>
    public static async Task<IotTestCluster> StartAsync(IotTestClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Platform is null) throw new ArgumentException("IotTestClusterOptions.Platform is required.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Nodes, 1);
        var cluster = new IotTestCluster(options);
        try
        {
            for (var i = 0; i < options.Nodes; i++)
            {
                var node = await cluster.StartNodeAsync(i, 1, cancellationToken).ConfigureAwait(false);
                lock (cluster._nodes) cluster._nodes.Add(node);
            }
            await cluster.WaitForMembersUpAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return cluster;
    }

    /// <summary>
    /// Crashes a node: its actor system ends without the graceful shutdown (connections are aborted with deliveries in
    /// flight, nothing is handed off, the cluster is not told). The others notice through failure detection and the
    /// split-brain resolver downs it; its connections and devices then start elsewhere.
    /// </summary>
    public async Task CrashNodeAsync(int index)
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            var node = RunningNode(index);
            Log($"crashing {node}");
            node.IsRunning = false;
            await node.System.Terminate().ConfigureAwait(false);
            node.Host.Dispose();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops a node gracefully: its connections drain, its shards hand off, it leaves the cluster.</summary>
    public async Task StopNodeAsync(int index)
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            var node = RunningNode(index);
            Log($"stopping {node} gracefully");
            node.IsRunning = false;
            await CoordinatedShutdown.Get(node.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
            await node.Host.StopAsync().ConfigureAwait(false);
            node.Host.Dispose();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts a stopped or crashed node again (a new incarnation, new port), joining through the running nodes.</summary>
    public async Task<IotTestNode> RestartNodeAsync(int index, CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = Nodes[index];
            if (old.IsRunning) throw new InvalidOperationException($"{old} is running; crash or stop it first.");
            var node = await StartNodeAsync(index, old.Incarnation + 1, cancellationToken).ConfigureAwait(false);
            lock (_nodes) _nodes[index] = node;
            return node;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Kills the connection actor of <paramref name="clientId"/> wherever it runs (as a bug in it would): its deliveries in
    /// flight are never accepted and its supervisor reconnects. False when no such actor is alive right now.
    /// </summary>
    public async Task<bool> KillConnectionActorAsync(string clientId)
    {
        var name = "client-" + Uri.EscapeDataString(clientId);
        foreach (var node in RunningNodes)
        {
            foreach (var path in new[] { $"/system/sharding/*/*/*/{name}/*", $"/user/*/{name}/*" })
            {
                try
                {
                    var actor = await node.System.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    Log($"killing connection actor {actor.Path} on {node}");
                    actor.Tell(Kill.Instance);
                    return true;
                }
                catch (ActorNotFoundException)
                {
                    // Not on this node, or between two connections.
                }
            }
        }
        return false;
    }

    /// <summary>A device's state, asked through any running node (the device starts or recovers where its shard lives).</summary>
    public async Task<DeviceStateReply> AskDeviceAsync(DeviceId device, TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(10);
        Exception? last = null;
        foreach (var node in RunningNodes)
        {
            try
            {
                return await node.Devices.Ask<DeviceStateReply>(new GetDeviceState(device), wait).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AskTimeoutException or TimeoutException)
            {
                last = e;
            }
        }
        throw new TimeoutException($"No running node answered for {device}.", last);
    }

    /// <summary>Where each client ID's connection runs and how it is doing, as the cluster reports it.</summary>
    public async Task<ClusterConnectionStatuses> ConnectionsAsync(TimeSpan? timeout = null)
    {
        var node = RunningNodes.FirstOrDefault() ?? throw new InvalidOperationException("No node is running.");
        return await node.Consumer.Ask<ClusterConnectionStatuses>(GetClusterConnectionStatuses.Instance, timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <summary>Completes when every running node sees exactly the running nodes, all Up, none unreachable.</summary>
    public Task WaitForMembersUpAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        return Eventually.HoldsAsync(() =>
        {
            var running = RunningNodes;
            var expected = running.Select(n => n.Address).ToHashSet();
            var converged = running.All(n =>
            {
                var state = AkkaCluster.Get(n.System).State;
                var up = state.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address).ToHashSet();
                return up.SetEquals(expected) && state.Members.Count == expected.Count && state.Unreachable.Count == 0;
            });
            return Task.FromResult(converged);
        }, timeout, () => string.Join("; ", RunningNodes.Select(n => $"{n}: {string.Join(",", AkkaCluster.Get(n.System).State.Members.Select(m => $"{m.Address.Port}={m.Status}"))}")),
        cancellationToken);
    }

    /// <summary>Completes when every configured client ID has an attached connection on some running node.</summary>
    public Task WaitForConnectionsAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clientIds = _options.Platform!.ClientIds;
        ClusterConnectionStatuses? last = null;
        return Eventually.HoldsAsync(async () =>
        {
            last = await ConnectionsAsync().ConfigureAwait(false);
            var attached = last.Nodes.SelectMany(n => n.Connections).Where(c => c.State == ConnectionState.Attached).Select(c => c.ClientId).ToHashSet();
            return clientIds.All(attached.Contains);
        }, timeout, () => last is null ? "no answer" : string.Join("; ", last.Nodes.SelectMany(n => n.Connections.Select(c => $"{c.ClientId}@{n.Node}={c.State}"))),
        cancellationToken);
    }

    /// <summary>
    /// Completes when no connection holds an unsettled delivery any more (each reports its in-flight count every sweep).
    /// A delivery the platform gave up on is still held until its processing deadline releases it.
    /// </summary>
    public Task WaitForConsumerIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ClusterConnectionStatuses? last = null;
        return Eventually.HoldsAsync(async () =>
        {
            last = await ConnectionsAsync().ConfigureAwait(false);
            return last.Nodes.SelectMany(n => n.Connections).All(c => c.InFlight == 0);
        }, timeout, () => last is null ? "no answer" : "in flight: " + string.Join(", ", last.Nodes.SelectMany(n => n.Connections.Select(c => $"{c.ClientId}@{n.Node}={c.InFlight}"))),
        cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Where(n => n.IsRunning).Reverse())
        {
            node.IsRunning = false;
            try
            {
                await node.System.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log($"{node} did not terminate within 30 s");
            }
            node.Host.Dispose();
        }
        _lifecycle.Dispose();
    }

    private IotTestNode RunningNode(int index)
    {
        var node = Nodes[index];
        if (!node.IsRunning) throw new InvalidOperationException($"{node} is not running.");
        return node;
    }

    private async Task<IotTestNode> StartNodeAsync(int index, int incarnation, CancellationToken cancellationToken)
    {
        var seeds = RunningNodes.Select(n => n.Address.ToString()).ToList();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka(ClusterOptions.SystemName, (akka, _) =>
        {
            akka.AddHocon(ClusterTimings.Fast + "\n" + (_options.Hocon ?? string.Empty), HoconAddMode.Prepend);
            akka.AddHocon(ClusterTimings.ClusterConf, HoconAddMode.Append);
            akka.WithIotCluster(new ClusterOptions
            {
                Hostname = "127.0.0.1",
                Port = 0,
                SeedNodes = seeds,
                DownStableAfter = TimeSpan.FromSeconds(2),
                ConnectionKeepAlive = TimeSpan.FromMilliseconds(500),
            });
            akka.WithDevicePersistence(_options.Persistence);
            _options.ConfigureDevices?.Invoke(akka);
            akka.WithIotConsumer(_options.Platform!, _options.Consumer, _options.TrustedRoots);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = ActorRegistry.For(system);
        var devices = await registry.GetAsync<DeviceRegion>(cancellationToken).ConfigureAwait(false);
        var consumer = await registry.GetAsync<IotConsumer>(cancellationToken).ConfigureAwait(false);

        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        AkkaCluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);

        var node = new IotTestNode(index, incarnation, host, system, devices, consumer);
        Log($"started {node}");
        return node;
    }

    private void Log(string line) => _options.Log?.Invoke($"[cluster] {line}");
}
