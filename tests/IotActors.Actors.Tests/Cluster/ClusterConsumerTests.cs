using System.Collections.Concurrent;
using Akka.Actor;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Actors.Tests.Connections;
using IotActors.Actors.Tests.Devices;
using IotActors.Emulator;
using IotActors.Platform.Messages;
using AkkaCluster = Akka.Cluster.Cluster;

namespace IotActors.Actors.Tests.Cluster;

/// <summary>
/// Three nodes in this process (real remoting on loopback) against one emulator: devices and connections spread, a node
/// crash and a graceful leave lose nothing. These nodes keep device state in memory (each its own journal), so a
/// re-homed device starts empty: here the crash and leave tests assert "every message accepted and applied at least
/// once". <see cref="DurableClusterTests"/> runs the same faults on a shared PostgreSQL journal and asserts exactly once.
/// </summary>
public sealed class ClusterConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);
    private static readonly string[] ClientIds = ["node-c0", "node-c1", "node-c2"];

    private readonly ConcurrentDictionary<DeviceId, ConcurrentQueue<string>> _applied = new();
    private readonly List<(DeviceId Device, string MessageId)> _published = [];
    private readonly List<ClusterNode> _nodes = [];
    private EmulatedConsumer _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatedConsumer.StartAsync(o => o.TimeScale = 1);

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.System.Terminate()));
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Devices_and_connections_spread_over_three_nodes_and_every_device_applies_each_message_once()
    {
        await StartClusterAsync();

        Publish(0, 600, devices: 60);
        await _emulator.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 600, Bounded);

        AssertEveryMessageApplied(exactlyOnce: true);
        var devicesPerNode = await Task.WhenAll(_nodes.Select(n => n.LocalDeviceCountAsync()));
        Assert.True(devicesPerNode.Count(c => c > 0) >= 2, $"devices per node: {string.Join(", ", devicesPerNode)}");
        Assert.Equal(60, devicesPerNode.Sum());
    }

    [Fact]
    public async Task Connections_of_a_crashed_node_come_back_on_the_others_and_no_message_is_lost()
    {
        await StartClusterAsync(crashable: 2);
        var victim = _nodes[2];
        await AwaitAsync(async () => (await victim.ClusterConnectionsAsync()).Nodes.Any(n => n.Node == victim.Address.ToString() && n.Connections.Count > 0),
            "the crashing node runs a connection");

        Publish(0, 400, devices: 40);
        await victim.System.Terminate();   // no leave: the others see it unreachable, the split-brain resolver downs it
        Publish(400, 400, devices: 40);

        var survivor = _nodes[0];
        await AwaitAsync(async () =>
        {
            var statuses = await survivor.ClusterConnectionsAsync();
            return statuses.Nodes.All(n => n.Node != victim.Address.ToString())
                && statuses.Nodes.SelectMany(n => n.Connections).Count(c => c.State == ConnectionState.Attached) == ClientIds.Length;
        }, "every client ID attached again on the surviving nodes");
        await _emulator.Emulator.WaitForStatsAsync(EmulatedConsumer.Group, s => s.Accepted >= 800 && s.Pending == 0 && s.InFlight == 0 && s.Stacked == 0, Bounded);

        AssertEveryMessageApplied(exactlyOnce: false);
        Assert.Equal(2, AkkaCluster.Get(survivor.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
    }

    [Fact]
    public async Task A_node_leaving_gracefully_under_traffic_loses_no_message()
    {
        await StartClusterAsync();
        var leaving = _nodes[2];

        Publish(0, 300, devices: 30);
        var traffic = Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                Publish(300 + batch * 50, 50, devices: 30);
                await _emulator.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 300 + batch * 25, Bounded);
            }
        });
        await CoordinatedShutdown.Get(leaving.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        await traffic;

        await _emulator.Emulator.WaitForStatsAsync(EmulatedConsumer.Group, s => s.Accepted >= 800 && s.Pending == 0 && s.InFlight == 0 && s.Stacked == 0, Bounded);
        AssertEveryMessageApplied(exactlyOnce: false);
        Assert.True(leaving.System.WhenTerminated.IsCompleted);
    }

    private async Task StartClusterAsync(int? crashable = null)
    {
        var platform = _emulator.Platform(ClientIds);
        var behavior = DeviceBehaviorRegistration.For(() => new RecordingBehavior(null, Record), new DeviceOptions { PassivateAfter = TimeSpan.FromMinutes(10) });
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(ClusterNode.Start(i == 0 ? null : _nodes[0].Address, platform, _emulator.Emulator.Certificate, behavior,
                EmulatedConsumer.FastConsumer, crashable == i));
        }
        await AwaitAsync(() => Task.FromResult(_nodes.All(n => AkkaCluster.Get(n.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 3)),
            "three members up");
        // Connection daemons start where sharding first puts them and are rebalanced onto the joining nodes.
        await AwaitAsync(async () =>
        {
            var statuses = await _nodes[0].ClusterConnectionsAsync();
            return statuses.Nodes.Count(n => n.Connections.Any(c => c.State == ConnectionState.Attached)) >= 2
                && statuses.Nodes.SelectMany(n => n.Connections).Count(c => c.State == ConnectionState.Attached) == ClientIds.Length;
        }, "three connections attached on at least two nodes");
    }

    private void Record(DeviceId device, string messageId) => _applied.GetOrAdd(device, _ => new ConcurrentQueue<string>()).Enqueue(messageId);

    private void Publish(int first, int count, int devices)
    {
        for (var i = first; i < first + count; i++)
        {
            var device = new DeviceId("a1Cluster", $"dev{i % devices:D3}");
            _published.Add((device, $"m{i:D5}"));
            _emulator.Publish($"/{device.ProductKey}/{device.DeviceName}/user/seq", $"m{i:D5}", "ok");
        }
    }

    /// <summary>
    /// Every published message applied by its device; with <paramref name="exactlyOnce"/> each exactly once. (Order across
    /// devices' messages on different connections is not compared: the platform hands each message to a random client.)
    /// </summary>
    private void AssertEveryMessageApplied(bool exactlyOnce)
    {
        foreach (var group in _published.GroupBy(p => p.Device))
        {
            var applied = _applied.TryGetValue(group.Key, out var queue) ? queue.ToList() : [];
            var expected = group.Select(p => p.MessageId).ToList();
            if (exactlyOnce) Assert.Equal(expected.Order(StringComparer.Ordinal), applied.Order(StringComparer.Ordinal));
            else Assert.Empty(expected.Except(applied));
        }
    }

    private static async Task AwaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bounded;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (AskTimeoutException)
            {
                // A node is busy or gone: ask again until the deadline.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not reached within {Bounded}: {what}");
            await Task.Delay(delay);   // polling interval of a bounded wait, as AwaitAssert does
        }
    }
}
