using Amqp;
using IotActors.Platform.Credentials;
using Xunit.Abstractions;
using static IotActors.Emulator.Tests.Emulator.EmulatorClient;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class AuthenticationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Signed_aksign_login_connects_and_receives_a_message_with_every_platform_property()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options(), new TestLoggerFactory(output));
        var connection = await ConnectAsync(emulator, "host-01-0");
        var receiver = await AttachReceiverAsync(connection, credit: 5);

        emulator.Publish(new EmulatedMessage("/a1Bc/dev01/user/raw", "1730000000000000001", 1_709_258_405_120, new byte[] { 0, 1, 2, 255 }));
        var message = await ReceiveAsync(receiver);
        receiver.Accept(message);

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, Assert.IsType<byte[]>(message.Body));
        Assert.Equal("/a1Bc/dev01/user/raw", message.ApplicationProperties["topic"]);
        Assert.Equal("1730000000000000001", message.ApplicationProperties["messageId"]);
        Assert.Equal(1_709_258_405_120L, Assert.IsType<long>(message.ApplicationProperties["generateTime"]));
        Assert.Equal("1730000000000000001", message.Properties.MessageId);
        await emulator.WaitForAcceptedAsync(Group, 1, WaitLimit);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Sts_token_login_connects()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var login = Login("sts-client", authId: StsKeyId, mode: AuthMode.StsToken, securityToken: StsToken);
        var connection = await ConnectAsync(emulator, login, StsSecret);
        await AttachReceiverAsync(connection, credit: 1);
        Assert.Single(emulator.OnlineClients(Group), c => c.ClientId == "sts-client" && c.ReceiverAttached);
        await connection.CloseAsync();
    }

    public static TheoryData<string, string?> RefusedLogins => new()
    {
        { "wrong secret", null },
        { "unknown AccessKey ID", null },
        { "unknown consumer group", null },
        { "instance ID given to an old public instance", null },
        { "wrong instance ID", "iot-06z00right" },
        { "missing instance ID", "iot-06z00right" },
        { "wrong STS token", null },
        { "client ID longer than 64 characters", null },
    };

    [Theory]
    [MemberData(nameof(RefusedLogins))]
    public async Task Invalid_login_is_refused_with_unauthorized_access(string situation, string? emulatorInstanceId)
    {
        var options = Options();
        options.InstanceId = emulatorInstanceId;
        await using var emulator = await PlatformEmulator.StartAsync(options, new TestLoggerFactory(output));
        var (login, secret) = situation switch
        {
            "wrong secret" => (Login("c1"), "not-the-secret"),
            "unknown AccessKey ID" => (Login("c1", authId: "LTAIunknown"), Secret),
            "unknown consumer group" => (Login("c1", group: "NO_SUCH_GROUP"), Secret),
            "instance ID given to an old public instance" => (Login("c1", instanceId: "iot-06z00other"), Secret),
            "wrong instance ID" => (Login("c1", instanceId: "iot-06z00wrong"), Secret),
            "missing instance ID" => (Login("c1"), Secret),
            "wrong STS token" => (Login("c1", authId: StsKeyId, mode: AuthMode.StsToken, securityToken: "CAIS+other"), StsSecret),
            "client ID longer than 64 characters" => (Login(new string('x', 65)), Secret),
            _ => throw new ArgumentOutOfRangeException(nameof(situation)),
        };

        var refused = await Assert.ThrowsAsync<AmqpException>(() => ConnectAsync(emulator, login, secret));

        Assert.Equal(ErrorCode.UnauthorizedAccess, (string)refused.Error.Condition);
        Assert.Equal(1, emulator.GetListenerStats().AuthenticationFailures);
    }

    [Fact]
    public async Task Login_with_the_right_instance_ID_connects_to_a_new_generation_instance()
    {
        var options = Options();
        options.InstanceId = "iot-06z00right";
        await using var emulator = await PlatformEmulator.StartAsync(options);
        var connection = await ConnectAsync(emulator, Login("c1", instanceId: "iot-06z00right"), Secret);
        Assert.False(connection.IsClosed);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Authentication_failing_fault_refuses_valid_logins_until_lifted()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        emulator.Faults.AuthenticationFailing = true;
        var refused = await Assert.ThrowsAsync<AmqpException>(() => ConnectAsync(emulator, "c1"));
        Assert.Equal(ErrorCode.UnauthorizedAccess, (string)refused.Error.Condition);
        Assert.Equal(1, emulator.GetStats(Group).AuthenticationFailures);

        emulator.Faults.AuthenticationFailing = false;
        var connection = await ConnectAsync(emulator, "c1");
        Assert.False(connection.IsClosed);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Stale_timestamp_is_accepted_by_default_like_the_vendor_nodejs_sample()
    {
        await using var emulator = await PlatformEmulator.StartAsync(Options());
        var connection = await ConnectAsync(emulator, Login("c1", timestamp: 1_573_489_088_171), Secret);
        Assert.False(connection.IsClosed);
        await connection.CloseAsync();
    }

    [Fact]
    public async Task Stale_timestamp_is_refused_when_a_timestamp_window_is_set()
    {
        var options = Options();
        options.TimestampWindow = TimeSpan.FromMinutes(15);
        await using var emulator = await PlatformEmulator.StartAsync(options);
        var stale = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        var refused = await Assert.ThrowsAsync<AmqpException>(() => ConnectAsync(emulator, Login("c1", timestamp: stale), Secret));
        Assert.Equal(ErrorCode.UnauthorizedAccess, (string)refused.Error.Condition);
    }

    [Fact]
    public async Task Log_never_contains_secrets_passwords_or_tokens()
    {
        var logs = new TestLoggerFactory(output);
        await using (var emulator = await PlatformEmulator.StartAsync(Options(), logs))
        {
            var wrongSecret = Login("c1");
            var wrongToken = Login("c2", authId: StsKeyId, mode: AuthMode.StsToken, securityToken: StsToken + "x");
            var good = Login("c3", authId: StsKeyId, mode: AuthMode.StsToken, securityToken: StsToken);
            await Assert.ThrowsAsync<AmqpException>(() => ConnectAsync(emulator, wrongSecret, "leaky-wrong-secret"));
            await Assert.ThrowsAsync<AmqpException>(() => ConnectAsync(emulator, wrongToken, StsSecret));
            var connection = await ConnectAsync(emulator, good, StsSecret);
            await AttachReceiverAsync(connection, 1);
            await connection.CloseAsync();

            var forbidden = new[] { Secret, StsSecret, StsToken, "leaky-wrong-secret", Sign(wrongSecret, "leaky-wrong-secret"), Sign(good, StsSecret) };
            Assert.NotEmpty(logs.Lines);
            foreach (var line in logs.Lines)
            {
                foreach (var secret in forbidden) Assert.DoesNotContain(secret, line);
            }
        }
    }
}
