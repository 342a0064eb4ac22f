using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Emulator;
using IotActors.TestKit.Chaos;
using IotActors.TestKit.Cluster;
using IotActors.TestKit.Faults;
using IotActors.TestKit.Invariants;
using IotActors.TestKit.Network;
using IotActors.TestKit.Platform;
using Xunit.Abstractions;

namespace TemperatureAlarm.Tests;

/// <summary>
/// The sample's chaos test, written only against the public IotActors.TestKit: the alarm behavior runs in a real
/// IotActors node, consuming an emulated IoT Platform through a fault proxy, while a seeded schedule resets
/// connections, makes the platform duplicate, reorder and lose acks, closes connections, and crashes the behavior.
/// Afterwards nothing may be lost or applied twice, and every device's state must equal the one worked out from the
/// traffic it was sent.
/// </summary>
/// <remarks>
/// Each run prints its seed first; <c>IOTACTORS_CHAOS_SEED=&lt;seed&gt;</c> replays the same traffic and the same
/// fault choices. Bounded: 600 messages at 60 msg/s, at most 10 faults in 12 s.
/// </remarks>
public sealed class TemperatureAlarmChaosTests(ITestOutputHelper output) : IDisposable
{
    private const int Devices = 12;
    private const int MessagesPerDevice = 50;
    private const double MessagesPerSecond = 60;
    private const int MaxFaults = 10;
    private static readonly TimeSpan MaxChaos = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("temperature-alarm-chaos-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task Every_device_ends_in_the_state_its_traffic_decides_under_chaos()
    {
        // 1. The platform (emulator on a free loopback port), a TCP fault proxy in front of it, the seeded schedule.
        await using var platform = await EmulatedPlatform.StartAsync();
        await using var proxy = platform.CreateProxy();
        var chaos = new ChaosSchedule(output.WriteLine);
        var crashes = new BehaviorFaults(chaos.Seed);

        // 2. The traffic and its ground truth, from the same seed: a replay sends exactly the same messages.
        var thresholds = AlarmThresholds.Default;
        var traffic = DeviceTraffic.Generate(chaos.Seed, Devices, MessagesPerDevice, thresholds);

        // 3. One node (a cluster of one: the same code path as three) running your behavior, wrapped in LedgerBehavior
        //    (it records every applied messageId next to the state, and lets BehaviorFaults crash it), durable in
        //    SQLite, with two connections (so even without faults messages of one device can overtake each other),
        //    consuming through the proxy.
        string[] clientIds = ["alarm-0", "alarm-1"];
        await using var cluster = await IotTestCluster.StartAsync(new IotTestClusterOptions
        {
            Nodes = 1,
            Platform = platform.PlatformOptions(clientIds, via: proxy),
            TrustedRoots = platform.TrustedRoots,
            Consumer = TestConsumerOptions.For(platform),
            Persistence = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _dataDirectory },
            ConfigureDevices = akka => akka.WithDeviceBehavior(
                () => new LedgerBehavior<AlarmState>(new TemperatureAlarmBehavior(thresholds), crashes),
                o =>
                {
                    o.MaxRetries = 3;                            // a crashed message is retried, not parked
                    o.RetryBackoff = TimeSpan.FromMilliseconds(50);
                    o.SnapshotEvery = 10;                        // recovery goes through snapshots too
                    o.PassivateAfter = TimeSpan.FromSeconds(3);  // devices stop and recover from the journal mid-run
                }),
            Log = output.WriteLine,
        });
        await cluster.WaitForConnectionsAsync(StartTimeout);

        // 4. Traffic at a steady rate while the schedule injects faults.
        AddFaults(chaos, platform, proxy, crashes, clientIds);
        var sending = PublishAsync(platform, traffic.Messages, MessagesPerSecond);
        var faults = await chaos.RunAsync(MaxFaults, MaxChaos);
        await sending;

        // 5. Heal everything and let the platform push what it still holds, until it holds nothing and the consumer
        //    holds no unsettled delivery either.
        platform.Faults.Heal();
        proxy.Heal();
        crashes.Heal();
        await cluster.WaitForConnectionsAsync(StartTimeout);
        await platform.WaitUntilSettledAsync(SettleTimeout);
        await cluster.WaitForConsumerIdleAsync(SettleTimeout);

        // 6. The delivery promises: nothing lost, nothing applied twice, nothing left unaccepted.
        var ledgers = await LedgerSnapshot<AlarmState>.ReadAsync(cluster, traffic.Expected.Keys, TimeSpan.FromSeconds(15));
        var connections = await cluster.ConnectionsAsync();
        var report = DeliveryInvariants.Check(platform.Sent, ledgers.Applied, platform.Deliveries, platform.Stats,
            ledgers.DuplicatesDropped, ledgers.Parked, connections.Nodes.SelectMany(n => n.Connections).Sum(c => c.InFlight));
        output.WriteLine(InvariantReport.FormatTable([("temperature alarm, 1 node, SQLite", report, faults.ByKind)]));
        output.WriteLine(report.ToString());
        output.WriteLine($"platform: {platform.Stats}"); // duplicated, reordered, acks lost, ack timeouts, returned on link close…
        Assert.True(faults.Events.Count > 0, "the schedule injected no fault");
        report.ThrowIfViolated();

        // 7. Your promise: every device ends in the state its traffic decides, whatever order it arrived in.
        var wrong = traffic.Expected
            .Where(e => !Equals(e.Value, ledgers.States[e.Key]) || ledgers.States[e.Key].Presence.OnlineMs != traffic.ExpectedOnlineMs[e.Key])
            .Select(e => $"{e.Key}:\n  expected {e.Value} (online {traffic.ExpectedOnlineMs[e.Key]} ms)\n  holds    {ledgers.States[e.Key]}")
            .ToList();
        output.WriteLine($"{Devices - wrong.Count}/{Devices} devices in their expected state; alarms on: {ledgers.States.Values.Count(s => s.Temperature.Alarm)}, " +
                         $"recent raises: {ledgers.States.Values.Sum(s => s.Temperature.RecentRaises)}, late readings sent: {traffic.LateReadings}, late offline notices sent: {traffic.LateNotices}");
        Assert.True(wrong.Count == 0, $"{wrong.Count} device(s) not in their expected state (seed {chaos.Seed}):\n{string.Join("\n", wrong)}");
    }

    private static void AddFaults(ChaosSchedule chaos, EmulatedPlatform platform, TcpFaultProxy proxy, BehaviorFaults crashes, string[] clientIds)
    {
        chaos
            // The network between consumer and platform: every connection reset at once.
            .Add(new ChaosFault("network-reset", _ => Task.FromResult($"{proxy.ResetAll()} connection(s)")))
            // The platform: a forced close with one of its AMQP conditions, duplicates, reordering, lost acks.
            .Add(new ChaosFault("platform-close", async random =>
            {
                var condition = PlatformFaults.CloseConditions[random.Next(PlatformFaults.CloseConditions.Count)];
                var client = clientIds[random.Next(clientIds.Length)];
                return $"{await platform.Faults.ForceCloseAsync(condition, client)} connection(s) of {client} with {condition}";
            }))
            .Add(new ChaosFault("platform-duplicates",
                _ => On(() => platform.Faults.DuplicateProbability = 0.3, "p=0.3"),
                () => Off(() => platform.Faults.DuplicateProbability = 0)))
            .Add(new ChaosFault("platform-reorder",
                _ => On(() => platform.Faults.ReorderProbability = 0.3, "p=0.3"),
                () => Off(() => platform.Faults.ReorderProbability = 0)))
            .Add(new ChaosFault("platform-lost-acks",
                _ => On(() => platform.Faults.LostAckProbability = 0.2, "p=0.2"),
                () => Off(() => platform.Faults.LostAckProbability = 0)))
            // Your behavior throws on some messages (once each; the device actor retries them).
            .Add(new ChaosFault("behavior-crash",
                _ => On(() => crashes.CrashProbability = 0.2, "p=0.2, 1 failing attempt each"),
                () => Off(crashes.Heal)));
    }

    /// <summary>Publishes <paramref name="messages"/> in order at about <paramref name="ratePerSecond"/>, so faults hit messages in flight.</summary>
    private static async Task PublishAsync(EmulatedPlatform platform, IReadOnlyList<EmulatedMessage> messages, double ratePerSecond)
    {
        const int perTick = 5;
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(perTick / ratePerSecond));
        for (var i = 0; i < messages.Count; i++)
        {
            platform.Publish(messages[i]);
            if ((i + 1) % perTick == 0) await pace.WaitForNextTickAsync();
        }
    }

    private static Task<string> On(Action change, string detail)
    {
        change();
        return Task.FromResult(detail);
    }

    private static Task Off(Action change)
    {
        change();
        return Task.CompletedTask;
    }
}
