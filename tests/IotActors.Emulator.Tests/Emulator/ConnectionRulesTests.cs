using System.Net.Sockets;
using Amqp;
using Amqp.Framing;
using Xunit.Abstractions;
using static IotActors.Emulator.Tests.Emulator.EmulatorClient;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class ConnectionRulesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(20_000)]      // advertises 10 s: below 30 s
    [InlineData(1_000_000)]   // advertises 500 s: above 300 s
    [InlineData(-1)]          // AMQPNetLite's default: no idle-time-out in the Open at all
    public async Task Idle_timeout_outside_30_to_300_seconds_is_closed_with_invalid_field(int clientIdleTimeoutMs)
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(), new TestLoggerFactory(output));
        var connection = await ConnectAsync(emulator, Login("c1"), Secret, clientIdleTimeoutMs);

        var error = await ClosedAsync(connection);

        Assert.Equal(ErrorCode.InvalidField, (string)error!.Condition);
        Assert.Contains("30000–300000 ms", error.Description);
        Assert.Equal(0, emulator.GetStats(Group).OnlineClients);
    }

    [Fact]
    public async Task Emulator_advertises_half_its_scaled_idle_close_timeout_so_clients_heartbeat_in_time()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(timeScale: 0.05)); // 300 s → 15 s
        Open? serverOpen = null;
        var login = Login("c1");

        var connection = await ConnectRawAsync(emulator, login.Build(), Sign(login, Secret), onOpened: (_, open) => serverOpen = open);

        Assert.Equal(7_500u, serverOpen!.IdleTimeOut);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Connection_without_a_receiver_is_closed_after_the_scaled_attach_timeout()
    {
        var options = Options(timeScale: 0.02);
        options.AttachTimeout = TimeSpan.FromSeconds(15); // 300 ms scaled
        await using var emulator = await PlatformEmulator.StartAsync(options, new TestLoggerFactory(output));
        var started = DateTime.UtcNow;
        var connection = await ConnectAsync(emulator, "lazy");

        var error = await ClosedAsync(connection);

        Assert.Equal(ErrorCode.ResourceLimitExceeded, (string)error!.Condition);
        Assert.Contains("no receiver link attached", error.Description);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250), "closed before the attach timeout");
    }

    [Fact]
    public async Task Connection_with_a_receiver_outlives_the_attach_timeout()
    {
        var options = Options(timeScale: 0.02);
        options.AttachTimeout = TimeSpan.FromSeconds(15); // 300 ms scaled
        await using var emulator = await PlatformEmulator.StartAsync(options);
        var connection = await ConnectAsync(emulator, "eager");
        var receiver = await AttachReceiverAsync(connection, 2);
        emulator.Publish(Message("m1"));
        var first = await ReceiveAsync(receiver);

        // The ack timeout (600 ms scaled) fires after the attach deadline (300 ms scaled):
        // its redelivery arriving proves the connection survived that deadline.
        await emulator.WaitForStatsAsync(Group, s => s.AckTimeouts == 1, EmulatorClient.WaitLimit);
        var again = await ReceiveAsync(receiver);
        Assert.Equal(MessageIdOf(first), MessageIdOf(again));
        Assert.False(connection.IsClosed);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Sender_link_is_refused_with_not_allowed_and_the_connection_stays_open()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var connection = await ConnectAsync(emulator, "c1");
        var receiver = await AttachReceiverAsync(connection, 1);

        var sender = new SenderLink(new Session(connection), "publisher", "default");
        var error = await ClosedAsync(sender);

        Assert.Equal(ErrorCode.NotAllowed, (string)error!.Condition);
        emulator.Publish(Message("m1"));
        Assert.Equal("m1", MessageIdOf(await ReceiveAsync(receiver)));
        Assert.False(connection.IsClosed);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Second_receiver_link_on_a_connection_is_refused_with_not_allowed()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var connection = await ConnectAsync(emulator, "c1");
        var session = new Session(connection);
        await AttachReceiverAsync(connection, 1, "first", session);

        var second = new ReceiverLink(session, "second", "default");
        var error = await ClosedAsync(second);

        Assert.Equal(ErrorCode.NotAllowed, (string)error!.Condition);
        Assert.Equal(1, emulator.GetStats(Group).AttachedReceivers);
        Assert.False(connection.IsClosed);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Connect_attempts_beyond_the_group_budget_are_closed_with_resource_limit_exceeded()
    {
        var options = Options(timeScale: 1);
        options.MaxConnectAttemptsPerMinutePerGroup = 2;
        await using var emulator = await PlatformEmulator.StartAsync(options, new TestLoggerFactory(output));
        var first = await ConnectAsync(emulator, "c1");
        var second = await ConnectAsync(emulator, "c2");

        var third = await ConnectAsync(emulator, "c3");
        var error = await ClosedAsync(third);

        Assert.Equal(ErrorCode.ResourceLimitExceeded, (string)error!.Condition);
        Assert.Contains("connection attempts per minute", error.Description);
        var stats = emulator.GetStats(Group);
        Assert.Equal(3, stats.ConnectAttempts);
        Assert.Equal(1, stats.ConnectAttemptsRefused);
        Assert.False(first.IsClosed);
        Assert.False(second.IsClosed);
        await first.CloseAsync();
        await second.CloseAsync();
    }

    [Fact]
    public async Task Clients_beyond_the_group_maximum_are_closed_with_resource_limit_exceeded()
    {
        var options = Options();
        options.MaxClientsPerGroup = 1;
        await using var emulator = await PlatformEmulator.StartAsync(options);
        var first = await ConnectAsync(emulator, "c1");
        await AttachReceiverAsync(first, 1);

        var second = await ConnectAsync(emulator, "c2");
        var error = await ClosedAsync(second);

        Assert.Equal(ErrorCode.ResourceLimitExceeded, (string)error!.Condition);
        Assert.Equal(1, emulator.GetStats(Group).ClientsRefused);
        Assert.Equal(["c1"], emulator.OnlineClients(Group).Select(c => c.ClientId));
        await first.CloseAsync();
    }

    [Fact]
    public async Task Socket_that_never_authenticates_is_closed_after_the_scaled_authentication_timeout()
    {
        var options = Options(timeScale: 0.02);
        options.AuthenticationTimeout = TimeSpan.FromSeconds(15); // 300 ms scaled
        await using var emulator = await PlatformEmulator.StartAsync(options, new TestLoggerFactory(output));
        using var silent = new TcpClient();
        await silent.ConnectAsync(emulator.Host, emulator.Port);

        using var deadline = new CancellationTokenSource(EmulatorClient.WaitLimit);
        var buffer = new byte[16];
        try
        {
            // The client never starts TLS; the server must give up and close (0 bytes or a reset).
            var read = await silent.GetStream().ReadAsync(buffer, deadline.Token);
            Assert.Equal(0, read);
        }
        catch (IOException)
        {
        }

        Assert.Equal(1, emulator.GetListenerStats().AuthenticationTimeouts);
    }

    [Fact]
    public async Task Online_clients_show_each_connection_with_its_receiver_and_credit()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var a = await ConnectAsync(emulator, "a");
        var b = await ConnectAsync(emulator, "b");
        await AttachReceiverAsync(a, 7);

        await Eventually(() => emulator.OnlineClients(Group).Any(c => c.ClientId == "a" && c.LinkCredit == 7));
        var clients = emulator.OnlineClients(Group).OrderBy(c => c.ClientId).ToList();
        Assert.Equal(["a", "b"], clients.Select(c => c.ClientId));
        Assert.True(clients[0].ReceiverAttached);
        Assert.False(clients[1].ReceiverAttached);
        Assert.NotEqual(clients[0].ConnectionId, clients[1].ConnectionId);
        await a.CloseAsync();
        await b.CloseAsync();
    }

    /// <summary>Polls a condition that has no completion signal; fails after the deadline.</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + EmulatorClient.WaitLimit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within the deadline");
            await Task.Delay(20);
        }
    }
}
