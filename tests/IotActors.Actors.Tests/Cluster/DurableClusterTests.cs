using System.Collections.Immutable;
using Akka.Actor;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Tests.Connections;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Tests.Persistence;
using IotActors.Platform.Messages;
using AkkaCluster = Akka.Cluster.Cluster;

namespace IotActors.Actors.Tests.Cluster;

/// <summary>
/// Three nodes sharing one PostgreSQL journal: a node dies abruptly (or leaves) under traffic, its connections and
/// devices move, devices recover from the journal, and every device's persisted state holds each message exactly once.
/// </summary>
public sealed class DurableClusterTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);
    private static readonly string[] ClientIds = ["durable-c0", "durable-c1", "durable-c2"];
    private readonly List<ClusterNode> _nodes = [];
    private readonly Dictionary<DeviceId, List<string>> _published = [];
    private EmulatedConsumer _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatedConsumer.StartAsync(o => o.TimeScale = 1);

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.System.Terminate()));
        await _emulator.DisposeAsync();
    }

    [SkippableFact]
    public async Task Crashed_node_loses_nothing_and_applies_nothing_twice()
    {
        await StartAsync(crashable: true);
        Publish(0, 300, devices: 30);
        await _emulator.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 100, Bounded);
        await _nodes[2].System.Terminate();   // no leave: the resolver downs it; its shards and connection move
        Publish(300, 300, devices: 30);

        await AssertExactlyOnceAsync(600);
    }

    [SkippableFact]
    public async Task Node_leaving_gracefully_under_traffic_loses_nothing_and_applies_nothing_twice()
    {
        await StartAsync(crashable: false);
        Publish(0, 300, devices: 30);
        await _emulator.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 100, Bounded);
        var leaving = CoordinatedShutdown.Get(_nodes[2].System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        Publish(300, 300, devices: 30);   // while shards hand off and the connection drains and moves
        await leaving;

        await AssertExactlyOnceAsync(600);
    }

    private async Task StartAsync(bool crashable)
    {
        postgres.Require();
        var persistence = ClusterNode.PersistenceConfig(new DevicePersistenceOptions
        {
            Provider = DevicePersistenceProvider.PostgreSql,
            ConnectionString = postgres.ConnectionString,
        });
        var platform = _emulator.Platform(ClientIds);
        var behavior = DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>(new DeviceOptions { SnapshotEvery = 7 });
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(ClusterNode.Start(i == 0 ? null : _nodes[0].Address, platform, _emulator.Emulator.Certificate, behavior,
                EmulatedConsumer.FastConsumer, crashable: crashable && i == 2, persistence));
        }
        await Until(async () => (await _nodes[0].ClusterConnectionsAsync()).Nodes.Any(n => n.Node == _nodes[2].Address.ToString() && n.Connections.Count > 0),
            "the node that will go away runs a connection");
    }

    /// <summary>Everything accepted, and each device's persisted state holds each of its messages exactly once.</summary>
    private async Task AssertExactlyOnceAsync(int total)
    {
        await _emulator.Emulator.WaitForStatsAsync(EmulatedConsumer.Group, s => s.Accepted >= total && s.Pending == 0 && s.InFlight == 0 && s.Stacked == 0, Bounded);
        var survivor = _nodes[0];
        foreach (var (device, expected) in _published)
        {
            var state = await survivor.Devices.Ask<DeviceStateReply>(new GetDeviceState(device), TimeSpan.FromSeconds(30));
            var applied = (ImmutableList<string>)state.State;
            Assert.True(applied.Count == applied.Distinct().Count(), $"{device} applied a message twice: {string.Join(",", applied)}");
            Assert.Equal(expected.Order(StringComparer.Ordinal), applied.Order(StringComparer.Ordinal));
            Assert.Equal(expected.Count, state.MessagesApplied);
        }
        Assert.Equal(2, AkkaCluster.Get(survivor.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
    }

    private void Publish(int first, int count, int devices)
    {
        for (var i = first; i < first + count; i++)
        {
            var device = new DeviceId("a1Durable", $"dev{i % devices:D3}");
            if (!_published.TryGetValue(device, out var list)) _published[device] = list = [];
            list.Add($"d{i:D5}");
            _emulator.Publish($"/{device.ProductKey}/{device.DeviceName}/user/seq", $"d{i:D5}", "ok");
        }
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bounded;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Not reached: " + what);
            await Task.Delay(200); // polling a condition with a deadline, not a sleep standing in for a signal
        }
    }
}
