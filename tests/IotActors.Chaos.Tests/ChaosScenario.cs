using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.TestKit.Chaos;
using IotActors.TestKit.Cluster;
using IotActors.TestKit.Faults;
using IotActors.TestKit.Invariants;
using IotActors.TestKit.Network;
using IotActors.TestKit.Platform;
using Xunit.Abstractions;

namespace IotActors.Chaos.Tests;

/// <summary>
/// One bounded, seeded chaos run: simulated traffic through a fault proxy into N nodes while the schedule mixes network,
/// platform, actor (and, with several nodes, cluster) faults; then everything heals, the platform must end with nothing
/// unaccepted, and every device's ledger must hold each message it was sent exactly once, in delivery order.
/// </summary>
internal sealed class ChaosScenario(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    public int Nodes { get; init; } = 1;
    public int Messages { get; init; } = 1200;
    public double Rate { get; init; } = 80;
    public int MaxFaults { get; init; } = 10;
    public TimeSpan MaxChaos { get; init; } = TimeSpan.FromSeconds(25);
    public string[] ClientIds { get; init; } = ["chaos-0", "chaos-1"];

    public async Task<InvariantReport> RunAsync(string name, DevicePersistenceOptions persistence)
    {
        await using var platform = await EmulatedPlatform.StartAsync(new EmulatedPlatformOptions { Devices = 40, Products = 2 });
        await using var proxy = platform.CreateProxy();
        var schedule = new ChaosSchedule(output.WriteLine);
        var behaviorFaults = new BehaviorFaults(schedule.Seed);
        await using var cluster = await IotTestCluster.StartAsync(new IotTestClusterOptions
        {
            Nodes = Nodes,
            Platform = platform.PlatformOptions(ClientIds, via: proxy),
            TrustedRoots = platform.TrustedRoots,
            Consumer = TestConsumerOptions.For(platform),
            Persistence = persistence,
            ConfigureDevices = akka => akka.WithDeviceBehavior(() => new LedgerBehavior<Counted>(new CountingBehavior(), behaviorFaults), o =>
            {
                o.MaxRetries = 3;
                o.RetryBackoff = TimeSpan.FromMilliseconds(50);
                o.SnapshotEvery = 10;                        // recovery goes through snapshots, not only events
                o.PassivateAfter = TimeSpan.FromSeconds(3);  // devices passivate and recover during the run
            }),
            Log = output.WriteLine,
        });
        await cluster.WaitForConnectionsAsync(StartTimeout);

        AddFaults(schedule, platform, proxy, behaviorFaults, cluster);
        var traffic = platform.SendSimulatedAsync(Messages, Rate);
        var chaos = await schedule.RunAsync(MaxFaults, MaxChaos);
        await traffic;

        // Heal everything, bring every node back, and let the platform push what it still holds.
        platform.Faults.Heal();
        proxy.Heal();
        behaviorFaults.Heal();
        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            if (!cluster.Nodes[i].IsRunning) await cluster.RestartNodeAsync(i);
        }
        await cluster.WaitForMembersUpAsync(StartTimeout);
        await cluster.WaitForConnectionsAsync(StartTimeout);
        await platform.WaitUntilSettledAsync(SettleTimeout);
        await cluster.WaitForConsumerIdleAsync(SettleTimeout);

        var ledgers = await LedgerSnapshot<Counted>.ReadAsync(cluster, platform.Sent.Select(m => m.Device), TimeSpan.FromSeconds(15));
        var report = await DeliveryInvariants.CheckAsync(platform, cluster, ledgers);

        output.WriteLine(ChaosTable.Add(name, report, chaos.ByKind));
        output.WriteLine(report.ToString());
        foreach (var (device, applied) in ledgers.Applied)
        {
            // The wrapped behavior's own state moved in step with the ledger.
            Assert.Equal(applied.Count, ledgers.States[device].Count);
        }
        Assert.True(chaos.Events.Count > 0, "the schedule injected no fault");
        report.ThrowIfViolated();
        return report;
    }

    private void AddFaults(ChaosSchedule schedule, EmulatedPlatform platform, TcpFaultProxy proxy, BehaviorFaults behaviorFaults, IotTestCluster cluster)
    {
        string AnyClient(Random r) => ClientIds[r.Next(ClientIds.Length)];
        var faults = platform.Faults;

        schedule
            // Network, between the consumer and the platform.
            .Add(ChaosFault.Once("network-reset", _ => $"{proxy.ResetAll()} connection(s)"))
            .Add(ChaosFault.Once("network-drop", _ => $"{proxy.DropAll()} connection(s)"))
            // A blackholed TLS stream is garbage once bytes flow again: reset what it left hanging.
            .Add(ChaosFault.Toggle("network-blackhole", () => proxy.Mode = NetworkFault.Blackhole, () => { proxy.Heal(); proxy.ResetAll(); }))
            .Add(ChaosFault.Toggle("network-delay", () => proxy.Mode = NetworkFault.Delay, proxy.Heal, $"{proxy.Latency.TotalMilliseconds} ms"))
            .Add(ChaosFault.Toggle("network-slow-reads", () => proxy.Mode = NetworkFault.SlowReads, proxy.Heal, $"{proxy.SlowBytesPerSecond} B/s"))
            // The platform.
            .Add(new ChaosFault("platform-close", async r =>
            {
                var condition = PlatformFaults.CloseConditions[r.Next(PlatformFaults.CloseConditions.Count)];
                var client = AnyClient(r);
                return $"{await faults.ForceCloseAsync(condition, client)} connection(s) of {client} with {condition}";
            }))
            .Add(ChaosFault.Toggle("platform-duplicates", () => faults.DuplicateProbability = 0.3, () => faults.DuplicateProbability = 0, "p=0.3"))
            .Add(ChaosFault.Toggle("platform-reorder", () => faults.ReorderProbability = 0.3, () => faults.ReorderProbability = 0, "p=0.3"))
            .Add(ChaosFault.Toggle("platform-lost-acks", () => faults.LostAckProbability = 0.2, () => faults.LostAckProbability = 0, "p=0.2"))
            .Add(ChaosFault.Toggle("platform-throttle", () => faults.Throttle = true, () => faults.Throttle = false))
            .Add(new ChaosFault("platform-auth-failing", async r =>
            {
                faults.AuthenticationFailing = true;
                var client = AnyClient(r);
                return $"and {await faults.ForceCloseAsync("amqp:connection:forced", client)} connection(s) of {client} closed";
            }, () =>
            {
                faults.AuthenticationFailing = false;
                return Task.CompletedTask;
            }))
            // Actors.
            .Add(ChaosFault.Toggle("behavior-crash", () => behaviorFaults.CrashProbability = 0.2, behaviorFaults.Heal, "p=0.2, 1 failing attempt each"))
            .Add(new ChaosFault("kill-connection-actor", async r =>
            {
                var client = AnyClient(r);
                return await cluster.KillConnectionActorAsync(client) ? client : $"{client} (not running right now)";
            }));

        if (Nodes < 3) return;
        // The cluster: one node at a time, so the majority always stays.
        var down = -1;
        schedule
            .Add(new ChaosFault("node-crash", async r =>
            {
                down = r.Next(cluster.Nodes.Count);
                await cluster.CrashNodeAsync(down);
                return $"node {down}";
            }, async () => await cluster.RestartNodeAsync(down)))
            .Add(new ChaosFault("node-stop", async r =>
            {
                down = r.Next(cluster.Nodes.Count);
                await cluster.StopNodeAsync(down);
                return $"node {down}";
            }, async () => await cluster.RestartNodeAsync(down)));
    }
}
