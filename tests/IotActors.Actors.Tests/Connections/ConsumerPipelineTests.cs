using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Errors;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Connections;

/// <summary>The whole pipeline (emulator → connection actors → device actors → accept) on loopback.</summary>
public sealed class ConsumerPipelineTests() : TestKit(TestDevices.Config)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private async Task<DeviceStateReply> StateOf(EmulatedConsumer c, DeviceId device) =>
        await c.Devices.Ask<DeviceStateReply>(new GetDeviceState(device), TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Per_device_order_holds_while_1000_devices_interleave()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        c.Start(Sys, c.Platform(["order-1"]), DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>());
        // Published before the link is attached, messages would be stacked and replayed after later real-time ones:
        // the platform promises no order across that (spec §3), so the order test starts with the link up.
        await AwaitAssertAsync(() => Assert.Equal(1, c.Emulator.GetStats(EmulatedConsumer.Group).AttachedReceivers), Long);

        const int devices = 1000, perDevice = 5;
        for (var round = 0; round < perDevice; round++)
            for (var d = 0; d < devices; d++)
                c.Publish($"/a1Order/dev{d:D4}/user/seq", $"{d:D4}-{round}", "ok");
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, devices * perDevice, Long);

        for (var d = 0; d < devices; d++)
        {
            var state = await StateOf(c, new DeviceId("a1Order", $"dev{d:D4}"));
            Assert.Equal(Enumerable.Range(0, perDevice).Select(r => $"{d:D4}-{r}"), (ImmutableList<string>)state.State);
        }
    }

    [Fact]
    public async Task Every_message_is_applied_exactly_once_across_several_connections()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        c.Start(Sys, c.Platform(["multi-1", "multi-2", "multi-3"]), DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>());
        await AwaitAssertAsync(() => Assert.Equal(3, c.Emulator.GetStats(EmulatedConsumer.Group).AttachedReceivers), Long);

        for (var i = 0; i < 3000; i++) c.Publish($"/a1Multi/dev{i % 1000:D4}/user/seq", $"m{i}", "ok");
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 3000, Long);

        var applied = new List<string>();
        for (var d = 0; d < 1000; d++) applied.AddRange((ImmutableList<string>)(await StateOf(c, new DeviceId("a1Multi", $"dev{d:D4}"))).State);
        Assert.Equal(3000, applied.Count);
        Assert.Equal(3000, applied.Distinct().Count());
    }

    [Fact]
    public async Task Nothing_is_accepted_before_its_device_processed_it()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        using var gate = new StallingBehavior.Gate();
        c.Start(Sys, c.Platform(["stall-1"]), DeviceBehaviorRegistration.For(() => new StallingBehavior(gate)));

        c.Publish("/a1Stall/stalled/user/x", "first", "stall");   // its device blocks until the gate opens
        c.Publish("/a1Stall/free/user/x", "second", "ok");        // delivered after it, on the same link
        await gate.Entered.WaitAsync(Long);
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 1, Long);

        // An early accept of "first" would have gone out before the accept of "second".
        var stats = c.Emulator.GetStats(EmulatedConsumer.Group);
        Assert.Equal(1, stats.Accepted);
        Assert.Equal(1, stats.InFlight);

        gate.Open();
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 2, Long);
    }

    [Fact]
    public async Task Stalled_device_misses_the_deadline_its_delivery_is_released_and_redelivered_then_applied_once()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        using var gate = new StallingBehavior.Gate();
        c.Start(Sys, c.Platform(["deadline-1"]), DeviceBehaviorRegistration.For(() => new StallingBehavior(gate)),
            EmulatedConsumer.FastConsumer with { ProcessingDeadline = TimeSpan.FromMilliseconds(500) });

        c.Publish("/a1Stall/slow/user/x", "late-1", "stall");
        await gate.Entered.WaitAsync(Long);
        await c.Emulator.WaitForStatsAsync(EmulatedConsumer.Group, s => s.NotAccepted >= 1 && s.Redelivered >= 1, Long);
        Assert.Equal(0, c.Emulator.GetStats(EmulatedConsumer.Group).Accepted);

        gate.Open();
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 1, Long);
        var state = await StateOf(c, new DeviceId("a1Stall", "slow"));
        Assert.Equal(["late-1"], (ImmutableList<string>)state.State);
        Assert.True(state.DuplicatesDropped >= 1);
    }

    [Fact]
    public async Task Crashing_behavior_configured_to_leave_failures_unaccepted_gets_its_message_redelivered()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        var options = new DeviceOptions { MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(10), LeaveFailedUnaccepted = true };
        c.Start(Sys, c.Platform(["crash-1"]), DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>(options));

        c.Publish("/a1Crash/dev/user/x", "crashes", "fail");
        await c.Emulator.WaitForStatsAsync(EmulatedConsumer.Group, s => s.NotAccepted >= 2 && s.Redelivered >= 1, Long);

        Assert.Equal(0, c.Emulator.GetStats(EmulatedConsumer.Group).Accepted);
    }

    [Fact]
    public async Task Duplicated_deliveries_are_applied_once()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        c.Emulator.Faults.DuplicateProbability = 1.0;
        c.Start(Sys, c.Platform(["dup-1"]), DeviceBehaviorRegistration.Twin());

        for (var i = 0; i < 20; i++)
            c.Publish("/a1Dup/dev01/thing/event/property/post", $"dup-{i}", PropertyPost("a1Dup", "dev01", "Temperature", i, 1_709_258_405_000 + i));
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 40, Long);

        var state = await StateOf(c, new DeviceId("a1Dup", "dev01"));
        Assert.Equal(20, state.MessagesApplied);
        Assert.Equal(20, state.DuplicatesDropped);
        Assert.Equal("19", ((DeviceTwin)state.State).Properties["Temperature"].ValueJson);
    }

    [Fact]
    public async Task Stale_status_and_property_values_do_not_overwrite_newer_ones_when_the_platform_reorders()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        c.Emulator.Faults.ReorderProbability = 1.0; // neighbours swap: the newer message arrives first
        c.Start(Sys, c.Platform(["reorder-1"]), DeviceBehaviorRegistration.Twin());

        c.Publish("/as/mqtt/status/a1Re/dev01", "s-old", Status("a1Re", "dev01", "offline", "2024-03-01T02:00:05.000Z", "2024-03-01T01:59:50.000Z"));
        c.Publish("/as/mqtt/status/a1Re/dev01", "s-new", Status("a1Re", "dev01", "online", "2024-03-01T02:10:00.000Z", "2024-03-01T02:09:59.000Z"));
        c.Publish("/a1Re/dev01/thing/event/property/post", "p-old", PropertyPost("a1Re", "dev01", "Temperature", 10, 1_709_258_400_000));
        c.Publish("/a1Re/dev01/thing/event/property/post", "p-new", PropertyPost("a1Re", "dev01", "Temperature", 30, 1_709_258_500_000));
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 4, Long);

        Assert.True(c.Emulator.GetStats(EmulatedConsumer.Group).Reordered >= 1);
        var twin = (DeviceTwin)(await StateOf(c, new DeviceId("a1Re", "dev01"))).State;
        Assert.Equal(DeviceStatus.Online, twin.Status!.Status);
        Assert.Equal("30", twin.Properties["Temperature"].ValueJson);
        Assert.Equal(1_709_258_500_000, twin.Properties["Temperature"].Time);
    }

    [Fact]
    public async Task Connections_killed_mid_stream_lose_nothing_and_reconnect_with_fresh_signatures()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        c.Start(Sys, c.Platform(["kill-1", "kill-2"]), DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>());
        await AwaitAssertAsync(() => Assert.Equal(2, c.Emulator.GetStats(EmulatedConsumer.Group).AttachedReceivers), Long);

        const int total = 600;
        for (var i = 0; i < total; i++)
        {
            c.Publish($"/a1Kill/dev{i % 30:D2}/user/x", $"k{i}", "ok");
            if (i == 150) c.Emulator.DropConnections("kill-1");
            if (i == 300) await c.Emulator.CloseConnectionsAsync("kill-2", AmqpConditions.ConnectionForced, "platform release");
            if (i == 450) c.Emulator.DropConnections(null);
        }
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, total, Long);

        var applied = new List<string>();
        for (var d = 0; d < 30; d++) applied.AddRange((ImmutableList<string>)(await StateOf(c, new DeviceId("a1Kill", $"dev{d:D2}"))).State);
        Assert.Equal(total, applied.Count);
        Assert.Equal(total, applied.Distinct().Count());

        foreach (var client in new[] { "kill-1", "kill-2" })
        {
            var stamps = c.Attempts.Where(a => a.ClientId == client).Select(a => a.Timestamp).ToList();
            Assert.True(stamps.Count >= 2, $"{client} made {stamps.Count} attempts");
            Assert.Equal(stamps.Count, stamps.Distinct().Count()); // a new signature every attempt
            Assert.Equal(stamps.Order(), stamps);
        }
        var statuses = await c.Consumer.Ask<ConnectionStatuses>(GetConnectionStatuses.Instance, TimeSpan.FromSeconds(10));
        Assert.All(statuses.Connections, s => Assert.True(s.Reconnects >= 1));
    }

    [Fact]
    public async Task Stopping_mid_stream_settles_every_delivery_the_link_received_before_closing()
    {
        // A graceful stop drains: no new credit, every delivery received is processed and settled, then the link
        // closes; the platform finds nothing unsettled on it.
        await using var c = await EmulatedConsumer.StartAsync();
        string[] clients = ["drain-1", "drain-2", "drain-3", "drain-4"];
        c.Start(Sys, c.Platform(clients), DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>());
        await AwaitAssertAsync(() => Assert.Equal(clients.Length, c.Emulator.GetStats(EmulatedConsumer.Group).AttachedReceivers), Long);

        // The stream keeps coming while the connections stop (bounded: at most 40,000 messages, until the stop is done).
        using var stopped = new CancellationTokenSource();
        var published = 0;
        var publisher = Task.Run(() =>
        {
            for (; published < 40_000 && !stopped.IsCancellationRequested; published++)
                c.Publish($"/a1Drain/dev{published % 200:D3}/user/x", $"d{published}", "ok");
        });
        await AwaitAssertAsync(() => Assert.True(c.Emulator.GetStats(EmulatedConsumer.Group).Accepted >= 500), Long);

        await c.Consumer.Ask<ConsumingStopped>(StopConsuming.Instance, Long);
        await stopped.CancelAsync();
        await publisher;
        await AwaitAssertAsync(() => Assert.Equal(0, c.Emulator.GetStats(EmulatedConsumer.Group).OnlineClients), Long);
        var stats = c.Emulator.GetStats(EmulatedConsumer.Group);
        Assert.True(stats.Accepted < published, $"the stop came after the whole stream ({stats.Accepted} of {published} accepted): it proves nothing");
        Assert.Equal(0, stats.ReturnedOnLinkClose);
        Assert.Equal(0, stats.InFlight);
    }

    [Fact]
    public async Task The_in_flight_gauge_counts_what_devices_hold_and_returns_to_zero_when_a_stop_leaves_them_unsettled()
    {
        // Every delivery counted in must be counted out, also those still unsettled when their connection stops:
        // otherwise an exporter shows deliveries in flight on a connection that is gone.
        await using var c = await EmulatedConsumer.StartAsync();
        using var gate = new StallingBehavior.Gate();
        using var inFlight = new InFlightGauge("gauge-1");
        c.Start(Sys, c.Platform(["gauge-1"]), DeviceBehaviorRegistration.For(() => new StallingBehavior(gate)),
            EmulatedConsumer.FastConsumer with { DrainTimeout = TimeSpan.FromMilliseconds(200) });

        c.Publish("/a1Gauge/stalled/user/x", "g-0", "stall");
        for (var i = 1; i < 5; i++) c.Publish("/a1Gauge/stalled/user/x", $"g-{i}", "ok");
        await gate.Entered.WaitAsync(Long);
        await AwaitAssertAsync(() => Assert.Equal(5, inFlight.Value), Long);

        await c.Consumer.Ask<ConsumingStopped>(StopConsuming.Instance, Long);
        Assert.Equal(0, c.Emulator.GetStats(EmulatedConsumer.Group).Accepted);
        await AwaitAssertAsync(() => Assert.Equal(0, inFlight.Value), Long);
    }

    [Fact]
    public async Task Poison_message_is_parked_after_its_retries_and_the_link_keeps_flowing()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        var parked = CreateTestProbe();
        Sys.EventStream.Subscribe(parked.Ref, typeof(ParkedMessage));
        var options = new DeviceOptions { MaxRetries = 2, RetryBackoff = TimeSpan.FromMilliseconds(10) };
        c.Start(Sys, c.Platform(["poison-1"]), DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>(options));

        c.Publish("/a1Poison/dev/user/x", "poison", "fail");
        for (var i = 0; i < 10; i++) c.Publish("/a1Poison/dev/user/x", $"ok-{i}", "ok");
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 11, Long);

        var p = parked.ExpectMsg<ParkedMessage>(TimeSpan.FromSeconds(10));
        Assert.Equal("poison", p.MessageId);
        var state = await StateOf(c, new DeviceId("a1Poison", "dev"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"ok-{i}"), (ImmutableList<string>)state.State);
        Assert.Equal(1, state.Parked);
    }

    [Fact]
    public async Task Credit_bounds_what_is_pending_behind_a_slow_device()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        using var gate = new StallingBehavior.Gate();
        var maxInFlight = 0;
        var platform = c.Platform(["credit-1"]);
        platform.LinkCredit = 10;
        c.Start(Sys, platform, DeviceBehaviorRegistration.For(() => new StallingBehavior(gate, () =>
            Interlocked.Exchange(ref maxInFlight, Math.Max(Volatile.Read(ref maxInFlight), c.Emulator.GetStats(EmulatedConsumer.Group).InFlight)))));

        c.Publish("/a1Credit/dev/user/x", "c-0", "stall");
        for (var i = 1; i < 100; i++) c.Publish("/a1Credit/dev/user/x", $"c-{i}", "ok");
        await gate.Entered.WaitAsync(Long);
        await c.Emulator.WaitForStatsAsync(EmulatedConsumer.Group, s => s.InFlight == 10 && s.Pending + s.Stacked == 90, Long);

        gate.Open();
        await c.Emulator.WaitForAcceptedAsync(EmulatedConsumer.Group, 100, Long);
        Assert.InRange(maxInFlight, 1, 10);
    }

    internal static string PropertyPost(string pk, string dn, string identifier, int value, long time) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iotId"] = "x", ["requestId"] = "1", ["productKey"] = pk, ["deviceName"] = dn, ["gmtCreate"] = time,
            ["items"] = new Dictionary<string, object> { [identifier] = new Dictionary<string, object> { ["value"] = value, ["time"] = time } },
        });

    internal static string Status(string pk, string dn, string status, string utcTime, string utcLastTime) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["status"] = status, ["productKey"] = pk, ["deviceName"] = dn, ["utcTime"] = utcTime, ["utcLastTime"] = utcLastTime, ["clientIp"] = "198.51.100.7",
        });
}

/// <summary>Records messageIds like <see cref="RecordingBehavior"/>, but a body of "stall" blocks until the gate opens.</summary>
internal sealed class StallingBehavior(StallingBehavior.Gate gate, Action? onApply = null) : DeviceBehavior<ImmutableList<string>>
{
    internal sealed class Gate : IDisposable
    {
        private readonly ManualResetEventSlim _open = new(false);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Entered => _entered.Task;
        public void Open() => _open.Set();
        public void WaitOpen()
        {
            _entered.TrySetResult();
            // Bounded so a broken test cannot hang the run.
            if (!_open.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("gate never opened");
        }
        public void Dispose()
        {
            _open.Set();
            _open.Dispose();
        }
    }

    public override ImmutableList<string> CreateInitialState(DeviceId device) => [];

    public override ImmutableList<string> Apply(ImmutableList<string> state, DeviceMessage message, IDeviceContext context)
    {
        onApply?.Invoke();
        if (System.Text.Encoding.UTF8.GetString(message.Body.Span) == "stall") gate.WaitOpen();
        return state.Add(message.MessageId);
    }
}
