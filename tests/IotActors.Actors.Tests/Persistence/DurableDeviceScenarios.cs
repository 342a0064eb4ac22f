using Akka.Actor;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>Durability of device state, run against each real store by the subclasses.</summary>
public abstract class DurableDeviceScenarios
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Property = "/{0}/{1}/thing/event/property/post";

    /// <summary>Store options; skips the test when the store is unavailable.</summary>
    protected abstract DevicePersistenceOptions Store();

    private static DeviceId NewDevice() => new("a1Bc", "dev-" + Guid.NewGuid().ToString("N")[..10]);

    private static DeviceEnvelope PropertyPost(DeviceId device, string messageId, long sequence, double temperature, long time) =>
        TestDevices.Envelope(device, string.Format(System.Globalization.CultureInfo.InvariantCulture, Property, device.ProductKey, device.DeviceName), messageId, sequence,
            """{"productKey":"a1Bc","deviceName":""" + "\"" + device.DeviceName + "\"" + ""","items":{"Temperature":{"value":""" + temperature.ToString(System.Globalization.CultureInfo.InvariantCulture) + ""","time":""" + time + "}}}");

    private static async Task<Processed> Send(IActorRef device, DeviceEnvelope envelope) =>
        await device.Ask<Processed>(envelope, Timeout);

    private static async Task<DeviceStateReply> State(IActorRef device, DeviceId id) =>
        await device.Ask<DeviceStateReply>(new GetDeviceState(id), Timeout);

    private static async Task Apply(IActorRef actor, DeviceId device)
    {
        Assert.Equal(ProcessOutcome.Applied, (await Send(actor, PropertyPost(device, "m1", 1, 21.5, 1000))).Outcome);
        Assert.Equal(ProcessOutcome.Applied, (await Send(actor, PropertyPost(device, "m2", 2, 22.5, 2000))).Outcome);
        Assert.Equal(ProcessOutcome.Applied, (await Send(actor, TestDevices.Envelope(device, "m3", 3, "custom"))).Outcome);
        Assert.Equal(ProcessOutcome.Duplicate, (await Send(actor, PropertyPost(device, "m2", 4, 22.5, 2000))).Outcome);
    }

    private static void AssertRecovered(DeviceStateReply reply)
    {
        var twin = Assert.IsType<DeviceTwin>(reply.State);
        Assert.Equal(new TwinProperty("22.5", 2000), twin.Properties["Temperature"]);
        Assert.Equal(1, twin.IgnoredMessages);
        Assert.Equal((3L, 1L, 0L), (reply.MessagesApplied, reply.DuplicatesDropped, reply.Parked));
        Assert.Equal(1_709_258_400_000 + 3, reply.LastSeen);
    }

    [SkippableFact]
    public async Task Stopped_device_recovers_its_twin_and_counters_and_drops_a_redelivery()
    {
        var store = Store();
        var device = NewDevice();
        await using var node = await DeviceNode.StartAsync(store);

        var first = node.Twin(device);
        await Apply(first, device);
        Assert.True(await first.GracefulStop(Timeout));

        var second = node.Twin(device);
        AssertRecovered(await State(second, device));
        Assert.Equal(ProcessOutcome.Duplicate, (await Send(second, PropertyPost(device, "m1", 5, 21.5, 1000))).Outcome);
        Assert.Equal(2, (await State(second, device)).DuplicatesDropped);
    }

    [SkippableFact]
    public async Task Journal_snapshot_store_and_read_journal_open_connections_from_the_options_instead_of_cloning()
    {
        // Cloning costs a new linq2db mapping schema per write (DevicePersistenceHostingExtensions.SqlConnectionConfig);
        // the stores working without it is what the other scenarios here show.
        await using var node = await DeviceNode.StartAsync(Store());
        var config = node.System.Settings.Config;

        Assert.False(config.GetBoolean("akka.persistence.journal.sql.use-clone-connection", true));
        Assert.False(config.GetBoolean("akka.persistence.snapshot-store.sql.use-clone-connection", true));
        Assert.False(config.GetBoolean("akka.persistence.query.journal.sql.use-clone-connection", true));
    }

    [SkippableFact]
    public async Task Device_recovers_after_the_whole_actor_system_restarted()
    {
        var store = Store();
        var device = NewDevice();
        await using (var node = await DeviceNode.StartAsync(store))
        {
            await Apply(node.Twin(device), device);
        }

        await using var restarted = await DeviceNode.StartAsync(store);
        var actor = restarted.Twin(device);
        AssertRecovered(await State(actor, device));
        Assert.Equal(ProcessOutcome.Duplicate, (await Send(actor, PropertyPost(device, "m2", 9, 22.5, 2000))).Outcome);
        Assert.Equal(ProcessOutcome.Applied, (await Send(actor, PropertyPost(device, "m4", 10, 23.5, 3000))).Outcome);
        var reply = await State(actor, device);
        Assert.Equal((4L, 2L), (reply.MessagesApplied, reply.DuplicatesDropped));
        Assert.Equal("23.5", Assert.IsType<DeviceTwin>(reply.State).Properties["Temperature"].ValueJson);
    }

    [SkippableFact]
    public async Task Snapshots_bound_recovery_to_the_events_after_the_newest_one()
    {
        var store = Store();
        var device = NewDevice();
        var options = new DeviceOptions { SnapshotEvery = 100, SpreadSnapshots = false };
        await using var node = await DeviceNode.StartAsync(store);

        var first = node.Twin(device, options);
        for (var i = 1; i <= 250; i++)
            Assert.Equal(ProcessOutcome.Applied, (await Send(first, PropertyPost(device, $"m{i}", i, i, i))).Outcome);
        Assert.True(await first.GracefulStop(Timeout));

        var probe = node.Probe();
        node.System.EventStream.Subscribe(probe.Ref, typeof(DeviceRecovered));
        var second = node.Twin(device, options);
        var recovered = probe.FishForMessage<DeviceRecovered>(r => r.Device == device, Timeout);
        Assert.Equal(200, recovered.SnapshotSequenceNr);
        Assert.InRange(recovered.EventsReplayed, 0, 100);
        Assert.Equal(250, recovered.MessagesApplied);

        var reply = await State(second, device);
        Assert.Equal("250", Assert.IsType<DeviceTwin>(reply.State).Properties["Temperature"].ValueJson);
        // Ids from before the snapshot are still remembered: the window travels in the snapshot.
        Assert.Equal(ProcessOutcome.Duplicate, (await Send(second, PropertyPost(device, "m7", 251, 7, 7))).Outcome);
    }

    [SkippableFact]
    public async Task A_stale_incarnation_fails_its_write_instead_of_writing_below_a_newer_ones_snapshot()
    {
        // Two incarnations of one device at once (what a shard hosted on two nodes for a while gives): the stale one
        // recovered at 4; the current one went on to 25, snapshotted (every 10) and deleted the events the snapshots
        // cover. The stale one's next event would take sequence number 5, freed by that deletion and below the newest
        // snapshot, where no recovery reads it: the message would be accepted and lost. The store must refuse the write.
        var store = Store();
        var device = NewDevice();
        var pid = DeviceActor<DeviceTwin>.PersistenceIdOf(device);
        var options = new DeviceOptions { SnapshotEvery = 10, SpreadSnapshots = false };
        await using var node = await DeviceNode.StartAsync(store);
        var probe = node.Probe();

        var stale = node.Twin(device, options);
        for (var i = 1; i <= 4; i++)
            Assert.Equal(ProcessOutcome.Applied, (await Send(stale, PropertyPost(device, $"m{i}", i, i, i))).Outcome);
        var current = node.Twin(device, options);
        for (var i = 5; i <= 25; i++)
            Assert.Equal(ProcessOutcome.Applied, (await Send(current, PropertyPost(device, $"m{i}", i, i, i))).Outcome);
        var journal = Akka.Persistence.Persistence.Instance.Apply(node.System).JournalFor(null);
        // The snapshot at 10 and its deletion at least (a busy store may skip the one at 20 while 10's is saved).
        probe.AwaitAssert(() => Assert.True(FirstReplayed(journal, pid, probe) >= 10), Timeout);

        probe.Watch(stale);
        var refused = await stale.Ask<object>(PropertyPost(device, "m26", 26, 26, 26), Timeout);
        var reason = Assert.IsType<ProcessingFailed>(refused).Reason;
        Assert.Contains("journal write failed", reason);
        Assert.Contains(StaleWriteGuard.RefusalText, reason); // refused as stale, not failed for another reason
        probe.ExpectTerminated(stale, Timeout);

        // Nothing landed below the snapshot, and the redelivered message goes to the current incarnation.
        Assert.True(FirstReplayed(journal, pid, probe) >= 10);
        Assert.Equal(ProcessOutcome.Applied, (await Send(current, PropertyPost(device, "m26", 26, 26, 26))).Outcome);
        Assert.True(await current.GracefulStop(Timeout));
        var reply = await State(node.Twin(device, options), device);
        Assert.Equal(26, reply.MessagesApplied);
        Assert.Equal("26", Assert.IsType<DeviceTwin>(reply.State).Properties["Temperature"].ValueJson);
    }

    /// <summary>The sequence number of the first event the journal replays for <paramref name="pid"/> (0: none).</summary>
    private static long FirstReplayed(IActorRef journal, string pid, Akka.TestKit.TestProbe probe)
    {
        journal.Tell(new Akka.Persistence.ReplayMessages(0, long.MaxValue, 1, pid, probe.Ref), probe.Ref);
        var first = probe.ExpectMsg<object>(Timeout);
        if (first is not Akka.Persistence.ReplayedMessage { Persistent: var persistent }) return 0;
        probe.ExpectMsg<Akka.Persistence.RecoverySuccess>(Timeout);
        return persistent.SequenceNr;
    }
}

/// <summary>The scenarios on a SQLite file of their own per test, removed afterwards.</summary>
public abstract class SqliteDurableDeviceScenarios : DurableDeviceScenarios, IDisposable
{
    protected string Directory { get; } = Path.Combine(Path.GetTempPath(), "iotactors-sqlite-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same scenarios with commits that do not wait for the disk (survive a process crash, as the node restarts here).</summary>
public sealed class SqliteNormalSyncDurabilityTests : SqliteDurableDeviceScenarios
{
    protected override DevicePersistenceOptions Store() =>
        new() { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = Directory, SqliteSynchronous = SqliteSynchronous.Normal };
}

/// <summary>Device state in a SQLite file of its own per test.</summary>
public sealed class SqliteDurabilityTests : SqliteDurableDeviceScenarios
{
    protected override DevicePersistenceOptions Store() =>
        new() { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = Directory };

    [Fact]
    public async Task Default_sqlite_file_is_created_in_the_data_directory()
    {
        await using (var node = await DeviceNode.StartAsync(Store()))
        {
            var device = new DeviceId("a1Bc", "dev01");
            var processed = await node.Twin(device).Ask<Processed>(TestDevices.Envelope(device, "m1", 1), TimeSpan.FromSeconds(30));
            Assert.Equal(ProcessOutcome.Applied, processed.Outcome);
        }
        Assert.True(File.Exists(Path.Combine(Directory, DevicePersistenceOptions.SqliteFileName)));
    }
}

/// <summary>Device state in a private PostgreSQL (skipped loudly without one, failing when IOTACTORS_REQUIRE_PEERS=1).</summary>
public sealed class PostgresDurabilityTests(PostgresServer server) : DurableDeviceScenarios, IClassFixture<PostgresServer>
{
    protected override DevicePersistenceOptions Store()
    {
        server.Require();
        return new() { Provider = DevicePersistenceProvider.PostgreSql, ConnectionString = server.ConnectionString };
    }
}

/// <summary>
/// The same scenarios with SQLite written by Akka.Persistence.Sql's own path (<c>Persistence:SqliteGroupCommit=false</c>),
/// which stays supported and reads the same tables.
/// </summary>
public sealed class SqlitePluginWritesDurabilityTests : SqliteDurableDeviceScenarios
{
    protected override DevicePersistenceOptions Store() =>
        new() { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = Directory, SqliteGroupCommit = false };
}
