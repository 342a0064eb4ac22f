using Amqp;
using Xunit.Abstractions;
using static IotActors.Emulator.Tests.Emulator.EmulatorClient;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class FaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Duplicate_fault_pushes_the_same_message_id_twice()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        emulator.Faults.DuplicateProbability = 1.0;
        var consumer = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "c1"), 0), credit: 10);

        emulator.Publish(Message("m1"));

        await consumer.WaitForCountAsync(2);
        Assert.Equal(["m1", "m1"], consumer.MessageIds);
        await emulator.WaitForStatsAsync(Group, s => s.Published == 1 && s.Duplicated == 1 && s.Accepted == 2, WaitLimit);
    }

    [Fact]
    public async Task Reorder_fault_swaps_neighbouring_messages()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var consumer = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "c1"), 0), credit: 10);
        emulator.Faults.ReorderProbability = 1.0;

        emulator.Publish(Message("m1"));
        emulator.Publish(Message("m2"));

        await consumer.WaitForCountAsync(2);
        Assert.Equal(["m2", "m1"], consumer.MessageIds);
        Assert.Equal(1, emulator.GetStats(Group).Reordered);
    }

    [Fact]
    public async Task Reorder_fault_releases_a_held_message_when_no_successor_comes()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var consumer = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "c1"), 0), credit: 10);
        emulator.Faults.ReorderMaxHold = TimeSpan.FromMilliseconds(100);
        emulator.Faults.ReorderProbability = 1.0;

        emulator.Publish(Message("m1"));

        await consumer.WaitForCountAsync(1);
        Assert.Equal(["m1"], consumer.MessageIds);
    }

    [Fact]
    public async Task Throttle_fault_stacks_messages_until_lifted()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var consumer = new RecordingConsumer(await AttachReceiverAsync(await ConnectAsync(emulator, "c1"), 0), credit: 10);
        emulator.Faults.Throttle = true;

        for (var i = 1; i <= 3; i++) emulator.Publish(Message($"m{i}"));
        var throttled = emulator.GetStats(Group);
        Assert.Equal(3, throttled.Stacked);
        Assert.Equal(0, throttled.Delivered);

        emulator.Faults.Throttle = false;
        await consumer.WaitForCountAsync(3);
        Assert.Equal(["m1", "m2", "m3"], consumer.MessageIds.Order());
    }

    [Fact]
    public async Task Close_connections_sends_the_chosen_condition_to_that_client_only()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(), new TestLoggerFactory(output));
        var target = await ConnectAsync(emulator, "target");
        await AttachReceiverAsync(target, 1);
        var bystander = await ConnectAsync(emulator, "bystander");
        await AttachReceiverAsync(bystander, 1);
        var targetClosed = ClosedAsync(target);

        var closed = await emulator.CloseConnectionsAsync("target", "amqp:connection:forced", "rebalancing");

        var error = await targetClosed;
        Assert.Equal(1, closed);
        Assert.Equal("amqp:connection:forced", (string)error!.Condition);
        Assert.Equal("rebalancing", error.Description);
        Assert.Equal("amqp:connection:forced", (string)target.Error.Condition);
        Assert.False(bystander.IsClosed);
        await emulator.WaitForStatsAsync(Group, s => s.OnlineClients == 1, WaitLimit);
        await bystander.CloseAsync();
    }

    [Fact]
    public async Task Close_connections_can_send_any_amqp_condition()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var connection = await ConnectAsync(emulator, "c1");
        await AttachReceiverAsync(connection, 1);
        var closed = ClosedAsync(connection);

        await emulator.CloseConnectionsAsync(null, ErrorCode.InternalError, "platform fault");

        Assert.Equal(ErrorCode.InternalError, (string)(await closed)!.Condition);
    }

    [Fact]
    public async Task Platform_release_closes_every_connection_with_connection_forced()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(groups: ["G1", "G2"]));
        var a = await ConnectAsync(emulator, "a", "G1");
        var b = await ConnectAsync(emulator, "b", "G2");
        var aClosed = ClosedAsync(a);
        var bClosed = ClosedAsync(b);

        Assert.Equal(2, await emulator.ReleaseAsync());

        Assert.Equal(ErrorCode.ConnectionForced, (string)(await aClosed)!.Condition);
        Assert.Equal(ErrorCode.ConnectionForced, (string)(await bClosed)!.Condition);
        Assert.Equal(0, emulator.GetListenerStats().OpenConnections);
    }

    [Fact]
    public async Task Disposing_the_emulator_closes_clients_with_connection_forced()
    {
        var emulator = await PlatformEmulator.StartAsync(Options());
        var connection = await ConnectAsync(emulator, "c1");
        await AttachReceiverAsync(connection, 1);
        var closed = ClosedAsync(connection);

        await emulator.DisposeAsync();

        Assert.Equal(ErrorCode.ConnectionForced, (string)(await closed)!.Condition);
    }
}
