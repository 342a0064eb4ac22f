using IotActors.TestKit.Network;
using System.Net;
using System.Text;
using IotActors.Platform.Amqp;
using IotActors.Platform.Credentials;
using IotActors.Platform.Errors;

namespace IotActors.Emulator.Tests.Adapter;

public class ReceiverAdapterTests
{
    [Fact]
    public async Task Authenticated_receiver_gets_messages_with_platform_properties_and_accepts_them()
    {
        await using var platform = await TestPlatform.StartAsync();
        var sink = new DeliverySink();
        await using var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint(), sink.Add);

        platform.Emulator.Publish(new EmulatedMessage("/a1Test/dev01/thing/event/property/post", "1234567890123456789", 1_700_000_000_123, Encoding.UTF8.GetBytes("{\"items\":{}}")));
        var d = (await sink.WaitForAsync(1))[0];

        Assert.NotNull(d.Message);
        Assert.Equal("1234567890123456789", d.Message!.MessageId);
        Assert.Equal("/a1Test/dev01/thing/event/property/post", d.Message.Topic);
        Assert.Equal(1_700_000_000_123, d.Message.GenerateTime);
        Assert.Equal("{\"items\":{}}", Encoding.UTF8.GetString(d.Message.Body.Span));
        Assert.True(receiver.Accept(d));
        Assert.False(receiver.Accept(d)); // settled once only
        await platform.Emulator.WaitForAcceptedAsync(TestPlatform.Group, 1, TimeSpan.FromSeconds(10));
        Assert.Equal(0, receiver.InFlight);
    }

    public static TheoryData<string, Action<Platform.Options.PlatformOptions>> Refusals => new()
    {
        { "wrong secret", o => o.AccessKeySecret = "not-the-secret" },
        { "unknown access key", o => o.AccessKeyId = "LTAIUnknown" },
        { "wrong consumer group", o => o.ConsumerGroupId = "OTHER_GROUP" },
        { "wrong instance id", o => o.IotInstanceId = "iot-wrong" },
        { "missing instance id", o => o.IotInstanceId = null },
        { "md5 signature over the wrong method", o => o.SignMethod = SignMethod.HmacMd5 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_login_is_reported_as_authentication_failure(string why, Action<Platform.Options.PlatformOptions> spoil)
    {
        await using var platform = await TestPlatform.StartAsync();
        var endpoint = platform.Endpoint(configure: spoil);
        if (why.StartsWith("md5"))
        {
            // Sign with MD5 but claim SHA-256: the signature check must catch the mismatch.
            var login = platform.Options(spoil).CreateLogin("test-client");
            endpoint = endpoint with { UserName = (login.UserName with { SignMethod = SignMethod.HmacSha256 }).Build(), Password = login.Password };
        }

        var e = await Assert.ThrowsAsync<ReceiverConnectException>(() => AmqpReceiver.ConnectAsync(endpoint, _ => { }));

        Assert.Equal(ConnectStage.Authentication, e.Stage);
        Assert.Equal(AmqpConditions.UnauthorizedAccess, e.Condition);
        var classification = CloseConditionClassifier.Classify(e.Condition, e.Reason, saslFailure: true);
        Assert.Equal(CloseClass.Authentication, classification.Class);
        Assert.DoesNotContain(TestPlatform.Secret, e.ToString());
    }

    [Fact]
    public async Task Idle_timeout_outside_30_to_300_seconds_is_refused_as_configuration_error()
    {
        await using var platform = await TestPlatform.StartAsync();
        var endpoint = platform.Endpoint() with { AdvertisedIdleTimeout = TimeSpan.FromSeconds(10) };

        var e = await Assert.ThrowsAsync<ReceiverConnectException>(() => AmqpReceiver.ConnectAsync(endpoint, _ => { }));

        Assert.Equal(ConnectStage.Open, e.Stage);
        Assert.Equal(AmqpConditions.InvalidField, e.Condition);
        Assert.Equal(CloseClass.FatalConfig, CloseConditionClassifier.Classify(e.Condition, e.Reason).Class);
    }

    [Fact]
    public async Task Untrusted_server_certificate_fails_the_tls_stage()
    {
        await using var platform = await TestPlatform.StartAsync();
        var endpoint = platform.Endpoint() with { TrustedRoots = null };

        var e = await Assert.ThrowsAsync<ReceiverConnectException>(() => AmqpReceiver.ConnectAsync(endpoint, _ => { }));

        Assert.Equal(ConnectStage.Tls, e.Stage);
    }

    [Fact]
    public async Task Unaccepted_delivery_comes_back_with_the_same_message_id_after_the_ack_timeout()
    {
        await using var platform = await TestPlatform.StartAsync(o => o.AckTimeout = TimeSpan.FromSeconds(30)); // 0.6 s scaled
        var sink = new DeliverySink();
        await using var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint(), sink.Add);

        platform.Publish(1, prefix: "ack-me-later-");
        var first = (await sink.WaitForAsync(1))[0];
        // Never settle the first copy; the platform pushes it again.
        var all = await sink.WaitForAsync(2);

        Assert.Equal(first.Message!.MessageId, all[1].Message!.MessageId);
        Assert.True(receiver.Accept(all[1]));
        await platform.Emulator.WaitForStatsAsync(TestPlatform.Group, s => s.Accepted == 1 && s.AckTimeouts >= 1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Released_delivery_is_redelivered()
    {
        await using var platform = await TestPlatform.StartAsync();
        var sink = new DeliverySink();
        await using var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint(), sink.Add);

        platform.Publish(1, prefix: "release-");
        var first = (await sink.WaitForAsync(1))[0];
        Assert.True(receiver.Release(first));
        var again = (await sink.WaitForAsync(2))[1];

        Assert.Equal("release-0", again.Message!.MessageId);
        Assert.True(receiver.Accept(again));
    }

    [Fact]
    public async Task Credit_bounds_unsettled_deliveries()
    {
        await using var platform = await TestPlatform.StartAsync();
        var sink = new DeliverySink();
        await using var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint() with { Credit = 5 }, sink.Add);

        platform.Publish(50, prefix: "credit-");
        var firstFive = await sink.WaitForAsync(5);
        // The emulator holds the rest back until credit returns.
        await platform.Emulator.WaitForStatsAsync(TestPlatform.Group, s => s.InFlight == 5 && s.Pending + s.Stacked == 45, TimeSpan.FromSeconds(10));
        Assert.Equal(5, receiver.InFlight);
        Assert.Equal(5, sink.Items.Count);

        foreach (var d in firstFive) Assert.True(receiver.Accept(d));
        var more = await sink.WaitForAsync(8);
        Assert.True(more.Count <= 10);
        Assert.True(receiver.InFlight <= 5);
    }

    [Fact]
    public async Task Throttled_connection_stays_at_its_per_second_limit()
    {
        await using var platform = await TestPlatform.StartAsync(o => o.MaxMessagesPerSecondPerConnection = 20);
        var sink = new DeliverySink();
        await using var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint(), d => { sink.Add(d); });
        var accepter = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var items = await sink.WaitForAsync(i + 1, TimeSpan.FromSeconds(30));
                receiver.Accept(items[i]);
            }
        });

        platform.Publish(200, prefix: "rate-");
        var start = DateTimeOffset.UtcNow;
        await sink.WaitForAsync(40, TimeSpan.FromSeconds(30));
        var elapsed = DateTimeOffset.UtcNow - start;

        // 40 messages at 20/s take at least ~1 s beyond the first second's burst.
        Assert.True(elapsed >= TimeSpan.FromSeconds(0.9), $"40 deliveries arrived in {elapsed.TotalMilliseconds:0} ms despite a 20/s limit");
        await receiver.CloseAsync(TimeSpan.FromSeconds(1));
        await accepter.WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { });
    }

    [Fact]
    public async Task Forced_close_reaches_completion_with_the_peer_condition()
    {
        await using var platform = await TestPlatform.StartAsync();
        await using var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint(), _ => { });

        await platform.Emulator.CloseConnectionsAsync("test-client", AmqpConditions.ConnectionForced, "platform release");
        var closed = await receiver.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(AmqpConditions.ConnectionForced, closed.Condition);
        Assert.True(closed.SentByPeer);
        Assert.False(closed.ClosedByUs);
        Assert.Equal(CloseClass.Transient, CloseConditionClassifier.Classify(closed.Condition, closed.Description).Class);
    }

    [Fact]
    public async Task Dropped_tcp_connection_completes_and_unaccepted_messages_go_to_another_client()
    {
        await using var platform = await TestPlatform.StartAsync();
        var sinkA = new DeliverySink();
        var receiverA = await AmqpReceiver.ConnectAsync(platform.Endpoint("client-a"), sinkA.Add);
        platform.Publish(3, prefix: "drop-");
        await sinkA.WaitForAsync(3);

        platform.Emulator.DropConnections("client-a");
        var closed = await receiverA.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(closed.SentByPeer);

        var sinkB = new DeliverySink();
        await using var receiverB = await AmqpReceiver.ConnectAsync(platform.Endpoint("client-b"), sinkB.Add);
        var redelivered = await sinkB.WaitForAsync(3);
        Assert.Equal(["drop-0", "drop-1", "drop-2"], redelivered.Select(d => d.Message!.MessageId).Order());
    }

    [Fact]
    public async Task Silently_dead_connection_is_noticed_by_the_watchdog()
    {
        // The peer must accept a short idle timeout for this test; the production range is 30-300 s.
        await using var platform = await TestPlatform.StartAsync(o => o.MinIdleTimeout = TimeSpan.FromMilliseconds(100));
        await using var proxy = new TcpFaultProxy(new IPEndPoint(IPAddress.Loopback, platform.Emulator.Port));
        var endpoint = platform.Endpoint() with
        {
            Port = proxy.Port,
            AdvertisedIdleTimeout = TimeSpan.FromMilliseconds(500),
            WatchdogInterval = TimeSpan.FromMilliseconds(200),
        };
        await using var receiver = await AmqpReceiver.ConnectAsync(endpoint, _ => { });

        proxy.Mode = NetworkFault.Blackhole;
        var closed = await receiver.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.False(closed.ClosedByUs);
        Assert.Equal(CloseClass.Transient, CloseConditionClassifier.Classify(closed.Condition, closed.Description).Class);
    }

    [Fact]
    public async Task Graceful_close_waits_for_in_flight_settles_and_never_throws_on_late_accepts()
    {
        await using var platform = await TestPlatform.StartAsync();
        var sink = new DeliverySink();
        var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint(), sink.Add);
        platform.Publish(4, prefix: "close-");
        var items = await sink.WaitForAsync(4);

        var closing = receiver.CloseAsync(TimeSpan.FromSeconds(10));
        Assert.False(closing.IsCompleted);
        foreach (var d in items) receiver.Accept(d);
        await closing.WaitAsync(TimeSpan.FromSeconds(15));

        var closed = await receiver.Completion;
        Assert.True(closed.ClosedByUs);
        Assert.False(receiver.Accept(items[0])); // already settled
        await platform.Emulator.WaitForAcceptedAsync(TestPlatform.Group, 4, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Accept_after_the_link_closed_is_ignored_not_thrown()
    {
        await using var platform = await TestPlatform.StartAsync();
        var sink = new DeliverySink();
        var receiver = await AmqpReceiver.ConnectAsync(platform.Endpoint(), sink.Add);
        platform.Publish(2, prefix: "late-");
        var items = await sink.WaitForAsync(2);

        await receiver.CloseAsync(TimeSpan.Zero);

        Assert.False(receiver.Accept(items[0]));
        Assert.False(receiver.Release(items[1]));
    }
}
