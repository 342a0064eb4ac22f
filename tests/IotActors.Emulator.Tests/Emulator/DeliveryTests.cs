using System.Diagnostics;
using Amqp;
using Xunit.Abstractions;
using static IotActors.Emulator.Tests.Emulator.EmulatorClient;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class DeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Link_credit_of_3_allows_exactly_3_unsettled_deliveries_until_one_is_accepted()
    {
        // Real time (ack timeout 30 s): this test counts deliveries in flight, and a scaled ack timeout
        // (1.5 s at the default scale) can expire them while a loaded CI machine is between two steps.
        await using var emulator = await PlatformEmulator.StartAsync(Options(timeScale: 1), new TestLoggerFactory(output));
        var connection = await ConnectAsync(emulator, "c1");
        var receiver = await AttachReceiverAsync(connection, credit: 3);

        for (var i = 1; i <= 5; i++) emulator.Publish(Message($"m{i}"));
        var first = await ReceiveAsync(receiver);
        await ReceiveAsync(receiver);
        await ReceiveAsync(receiver);

        // Credit is used up: the emulator must hold the other two (no GetMessageAsync call is outstanding).
        var held = emulator.GetStats(Group);
        Assert.Equal(3, held.Delivered);
        Assert.Equal(3, held.InFlight);
        Assert.Equal(2, held.Pending + held.Stacked);

        receiver.Accept(first);
        var fourth = await ReceiveAsync(receiver);
        Assert.Equal("m4", MessageIdOf(fourth));
        await emulator.WaitForStatsAsync(Group, s => s.Delivered == 4 && s.Accepted == 1 && s.InFlight == 3, WaitLimit);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Every_group_gets_one_copy_and_within_a_group_each_message_goes_to_one_client()
    {
        // Real time (ack timeout 30 s): a redelivery after a scaled ack timeout could go to the other client.
        await using var emulator = await PlatformEmulator.StartAsync(Options(timeScale: 1, groups: ["G1", "G2"]));
        var a = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "a", "G1"), 0), credit: 10);
        var b = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "b", "G1"), 0), credit: 10);
        var c = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "c", "G2"), 0), credit: 10);
        await emulator.WaitForStatsAsync("G1", s => s.AttachedReceivers == 2, WaitLimit);

        var ids = Enumerable.Range(1, 40).Select(i => $"m{i}").ToList();
        foreach (var id in ids) emulator.Publish(Message(id));

        await emulator.WaitForAcceptedAsync("G1", 40, WaitLimit);
        await emulator.WaitForAcceptedAsync("G2", 40, WaitLimit);
        Assert.Equal(ids.Order(), a.MessageIds.Concat(b.MessageIds).Order());
        Assert.Empty(a.MessageIds.Intersect(b.MessageIds));
        Assert.Equal(ids.Order(), c.MessageIds.Order());
        Assert.Equal(0, emulator.GetStats("G1").Redelivered);
    }

    [Fact]
    public async Task Messages_published_while_no_client_is_online_are_stacked_and_delivered_when_one_attaches()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        for (var i = 1; i <= 3; i++) emulator.Publish(Message($"m{i}"));
        Assert.Equal(3, emulator.GetStats(Group).Stacked);

        var consumer = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "late"), 0), credit: 10);

        await consumer.WaitForCountAsync(3);
        Assert.Equal(["m1", "m2", "m3"], consumer.MessageIds.Order());
        await emulator.WaitForStatsAsync(Group, s => s.Accepted == 3 && s.Stacked == 0, WaitLimit);
    }

    [Fact]
    public async Task Unaccepted_delivery_is_redelivered_with_the_same_message_id_after_the_scaled_ack_timeout()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(timeScale: 0.02)); // ack timeout 600 ms
        var connection = await ConnectAsync(emulator, "slow");
        var receiver = await AttachReceiverAsync(connection, credit: 5);
        // Times are taken from the publish: a delivery cannot arrive before the emulator sends it,
        // so a late-running client can only make them longer, never falsely short.
        var clock = Stopwatch.StartNew();
        emulator.Publish(Message("m1"));

        var first = await ReceiveAsync(receiver);
        var again = await ReceiveAsync(receiver);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(590), $"redelivered {clock.Elapsed} after publishing, before the ack timeout");
        Assert.Equal("m1", MessageIdOf(again));
        Assert.Equal("m1", (string)again.Properties.MessageId);
        receiver.Accept(again);
        await emulator.WaitForStatsAsync(Group, s => s.Accepted == 1 && s.AckTimeouts == 1 && s.Redelivered == 1, WaitLimit);

        // The first delivery was given up on; accepting it now is ignored and harmless.
        receiver.Accept(first);
        await emulator.WaitForStatsAsync(Group, s => s.LateDispositions == 1, WaitLimit);
        Assert.Equal(1, emulator.GetStats(Group).Accepted);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Released_delivery_is_redelivered_with_the_same_message_id()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var connection = await ConnectAsync(emulator, "picky");
        var receiver = await AttachReceiverAsync(connection, credit: 5);
        emulator.Publish(Message("m1"));

        receiver.Release(await ReceiveAsync(receiver));
        var again = await ReceiveAsync(receiver);
        receiver.Accept(again);

        Assert.Equal("m1", MessageIdOf(again));
        await emulator.WaitForStatsAsync(Group, s => s.NotAccepted == 1 && s.Redelivered == 1 && s.Accepted == 1, WaitLimit);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Replayed_message_that_fails_again_waits_the_scaled_retry_interval()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(timeScale: 0.02)); // ack 600 ms, retry 1.2 s
        var connection = await ConnectAsync(emulator, "stuck");
        var receiver = await AttachReceiverAsync(connection, credit: 5);
        var clock = Stopwatch.StartNew();
        emulator.Publish(Message("m1"));

        await ReceiveAsync(receiver);                 // real-time push at 0; ack times out at 0.6 s → stacked
        await ReceiveAsync(receiver);                 // replayed at once (0.6 s); ack times out at 1.2 s → retry delay
        var replayedBy = clock.Elapsed;
        var third = await ReceiveAsync(receiver);     // 1.2 s + 1.2 s retry interval
        var thirdBy = clock.Elapsed;

        Assert.Equal("m1", MessageIdOf(third));
        Assert.True(thirdBy >= TimeSpan.FromMilliseconds(2_390), $"third push {thirdBy} after publishing; expected 2 × ack 0.6 s + retry 1.2 s");
        Assert.True(replayedBy < TimeSpan.FromMilliseconds(2_390), $"first replay by {replayedBy} should not have waited the retry interval");
        await connection.CloseAsync();
    }

    [Fact]
    public async Task In_flight_messages_of_a_dropped_connection_are_redelivered_to_another_client()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(), new TestLoggerFactory(output));
        var doomed = await ConnectAsync(emulator, "doomed");
        var doomedReceiver = await AttachReceiverAsync(doomed, credit: 10);
        for (var i = 1; i <= 3; i++) emulator.Publish(Message($"m{i}"));
        for (var i = 0; i < 3; i++) await ReceiveAsync(doomedReceiver); // held, never accepted

        var survivor = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "survivor"), 0), credit: 10);
        var doomedClosed = ClosedAsync(doomed);
        Assert.Equal(1, emulator.DropConnections("doomed"));

        await doomedClosed;
        await survivor.WaitForCountAsync(3);
        Assert.Equal(["m1", "m2", "m3"], survivor.MessageIds.Order());
        await emulator.WaitForStatsAsync(Group, s => s.ReturnedOnLinkClose == 3 && s.Accepted == 3 && s.OnlineClients == 1, WaitLimit);
    }

    [Fact]
    public async Task Connection_is_held_to_its_per_second_transfer_limit()
    {
        var options = Options();
        options.MaxMessagesPerSecondPerConnection = 50;
        await using var emulator = await PlatformEmulator.StartAsync(options);
        var consumer = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "fast"), 0), credit: 200);
        await emulator.WaitForStatsAsync(Group, s => s.AttachedReceivers == 1, WaitLimit);

        var published = consumer.Now;
        for (var i = 0; i < 100; i++) emulator.Publish(Message($"m{i}"));
        await consumer.WaitForCountAsync(100);

        // Measured from the publish: the client cannot receive more than was sent, so these bounds hold
        // however late the client runs. Sent within 1 s: the burst of 5 plus 50 a second.
        var arrivals = consumer.Received.Select(r => r.At - published).ToList();
        Assert.InRange(arrivals.Count(at => at < TimeSpan.FromSeconds(1)), 1, 56);
        Assert.True(arrivals.Max() >= TimeSpan.FromSeconds(1.85), $"100 messages at 50/s arrived within {arrivals.Max()}");
    }

    [Fact]
    public async Task Stacked_messages_beyond_the_capacity_drop_the_oldest()
    {
        var options = Options();
        options.StackedCapacity = 3;
        await using var emulator = await PlatformEmulator.StartAsync(options);
        for (var i = 1; i <= 5; i++) emulator.Publish(Message($"m{i}"));

        var stats = emulator.GetStats(Group);
        Assert.Equal(3, stats.Stacked);
        Assert.Equal(2, stats.DroppedOverCapacity);
        var consumer = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "c1"), 0), credit: 10);
        await consumer.WaitForCountAsync(3);
        Assert.Equal(["m3", "m4", "m5"], consumer.MessageIds.Order());
    }

    [Fact]
    public async Task Stacked_messages_expire_after_the_scaled_retention()
    {
        var options = Options();
        options.Retention = TimeSpan.FromSeconds(2); // 100 ms scaled
        await using var emulator = await PlatformEmulator.StartAsync(options);
        emulator.Publish(Message("m1"));

        await emulator.WaitForStatsAsync(Group, s => s.Expired == 1 && s.Stacked == 0, WaitLimit);
    }
}
