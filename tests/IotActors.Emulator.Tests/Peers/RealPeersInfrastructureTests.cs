using System.Text;
using System.Text.Json;
using Amqp;
using Amqp.Framing;
using IotActors.Platform.Credentials;

namespace IotActors.Emulator.Tests.Peers;

/// <summary>Proves the real-peer helpers work, so later tests can trust them against our own code.</summary>
public sealed class RealPeersInfrastructureTests(RabbitMqFixture rabbit) : IClassFixture<RabbitMqFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_missing_peer_skips_normally_and_fails_when_peers_are_required()
    {
        RealPeers.Require(null, required: true);
        RealPeers.Require(null, required: false);

        var failure = Assert.Throws<PeerMissingException>(() => RealPeers.Require("no broker", required: true));
        Assert.Contains("no broker", failure.Message, StringComparison.Ordinal);
        var skip = Assert.Throws<SkipException>(() => RealPeers.Require("no broker", required: false));
        Assert.Contains("no broker", skip.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Proton_sender_messages_reach_an_AMQPNetLite_receiver_through_RabbitMQ_with_properties_intact()
    {
        RealPeers.RequireProton();
        var broker = await rabbit.GetBrokerAsync();
        var queue = "infra-" + Guid.NewGuid().ToString("N");
        await broker.DeclareQueueAsync(queue);

        var sent = await ProtonClient.SendAsync(new ProtonSendOptions(broker.Url, "/queue/" + queue, 5) { GenerateTime = 1_709_258_405_120 });
        Assert.True(sent.Process.Succeeded, sent.Process.Describe());
        Assert.Equal(5, sent.Accepted);

        var connection = await new ConnectionFactory().CreateAsync(broker.Address()).WaitAsync(Bound);
        try
        {
            var receiver = new ReceiverLink(new Session(connection), "infra-receiver", "/amq/queue/" + queue);
            for (var i = 0; i < 5; i++)
            {
                var message = await receiver.ReceiveAsync(Bound);
                Assert.NotNull(message);
                var properties = message.ApplicationProperties.Map;
                var expectedId = (1_700_000_000_000_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal($"/a1Peer000/dev-{i:D5}/thing/event/property/post", Assert.IsType<string>(properties["topic"]));
                Assert.Equal(expectedId, Assert.IsType<string>(properties["messageId"]));
                Assert.Equal(1_709_258_405_120 + i, Assert.IsType<long>(properties["generateTime"]));
                Assert.Equal(expectedId, message.Properties.MessageId);
                var body = Assert.IsType<byte[]>(message.Body);
                Assert.IsType<Data>(message.BodySection);
                Assert.Equal(i, JsonDocument.Parse(body).RootElement.GetProperty("seq").GetInt32());
                receiver.Accept(message);
            }
            await receiver.CloseAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(0, (await broker.QueueDepthsAsync())[queue]);
    }

    [SkippableFact]
    public async Task Receiving_from_a_queue_that_was_never_declared_is_not_found()
    {
        var broker = await rabbit.GetBrokerAsync();
        var connection = await new ConnectionFactory().CreateAsync(broker.Address()).WaitAsync(Bound);
        try
        {
            var receiver = new ReceiverLink(new Session(connection), "missing", "/amq/queue/never-declared-" + Guid.NewGuid().ToString("N"));
            var error = await Assert.ThrowsAsync<AmqpException>(() => receiver.ReceiveAsync(Bound));
            Assert.Equal("amqp:not-found", error.Error.Condition.ToString());
        }
        finally
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(10));
        }
    }

    [SkippableFact]
    public async Task Proton_receiver_accepts_each_message_and_reports_amqp_types()
    {
        RealPeers.RequireProton();
        var broker = await rabbit.GetBrokerAsync();
        var queue = "proton-" + Guid.NewGuid().ToString("N");
        await broker.DeclareQueueAsync(queue);
        var sent = await ProtonClient.SendAsync(new ProtonSendOptions(broker.Url, "/queue/" + queue, 3) { Topic = "/a1Bc/dev{i}/user/data" });
        Assert.True(sent.Process.Succeeded, sent.Process.Describe());

        var received = await ProtonClient.ReceiveAsync(new ProtonReceiveOptions(broker.Url, 3)
        {
            Address = "/amq/queue/" + queue,
            User = broker.User,
            Password = broker.Password,
        });

        Assert.True(received.Process.Succeeded, received.Process.Describe());
        Assert.Equal(3, received.Accepted);
        Assert.Equal(["/a1Bc/dev0/user/data", "/a1Bc/dev1/user/data", "/a1Bc/dev2/user/data"], received.Messages.Select(m => m.Topic));
        Assert.All(received.Messages, m =>
        {
            Assert.Equal("long", m.GenerateTimeType);
            Assert.Equal("string", m.MessageIdType);
            Assert.Equal("data", m.BodySection);
            Assert.Equal(m.MessageId, m.StandardMessageId);
        });
        Assert.Equal(0, (await broker.QueueDepthsAsync())[queue]);
    }

    [SkippableTheory]
    [InlineData("hmacsha256")]
    [InlineData("hmacsha1")]
    [InlineData("Hmacmd5")]
    public async Task Python_signer_and_platform_signature_agree(string signMethod)
    {
        RealPeers.RequireProton();
        var signing = new ProtonSigning("LTAIEXAMPLE", "not-a-real-secret", "DEFAULT_GROUP", "host-01-0")
        {
            SignMethod = signMethod,
            IotInstanceId = "iot-06z00example",
            Timestamp = 1_700_000_000_000,
        };

        var (userName, password) = await ProtonClient.SignAsync(signing);

        Assert.True(UserName.TryParse(userName, out var parsed, out var reason), reason);
        Assert.Equal("host-01-0", parsed!.ClientId);
        Assert.Equal("1700000000000", parsed.Timestamp);
        Assert.Equal("iot-06z00example", parsed.IotInstanceId);
        Assert.True(PasswordSignature.Verify(parsed.SignMethod, "not-a-real-secret", parsed.AuthId, parsed.Timestamp, parsed.SecurityToken, password));
    }

    [SkippableFact]
    public async Task Python_signer_includes_the_security_token_for_sts_credentials()
    {
        RealPeers.RequireProton();
        var signing = new ProtonSigning("STS.EXAMPLE", "not-a-real-secret", "DEFAULT_GROUP", "host-01-0")
        {
            AuthMode = "ststoken",
            SecurityToken = "CAIS+token/with=chars",
            Timestamp = 1_700_000_000_000,
        };

        var (userName, password) = await ProtonClient.SignAsync(signing);

        Assert.True(UserName.TryParse(userName, out var parsed, out var reason), reason);
        Assert.Equal(AuthMode.StsToken, parsed!.AuthMode);
        Assert.Equal("CAIS+token/with=chars", parsed.SecurityToken);
        Assert.True(PasswordSignature.Verify(parsed.SignMethod, "not-a-real-secret", parsed.AuthId, parsed.Timestamp, parsed.SecurityToken, password));
    }

    [SkippableFact]
    public async Task Proton_receiver_verifies_the_server_over_TLS_and_logs_in_with_credentials_it_signed_itself()
    {
        RealPeers.RequireProton();
        var broker = await rabbit.GetBrokerAsync();
        var signing = new ProtonSigning("LTAIEXAMPLE", "not-a-real-secret", "DEFAULT_GROUP", "tls-client") { Timestamp = 1_700_000_000_000 };
        // RabbitMQ stands in for the platform: it knows the one userName/password our C# signer expects.
        var expected = new UserName("tls-client", AuthMode.AkSign, SignMethod.HmacSha256, "1700000000000", "LTAIEXAMPLE", "DEFAULT_GROUP");
        await broker.AddUserAsync(expected.Build(), PasswordSignature.Compute(SignMethod.HmacSha256, "not-a-real-secret", "LTAIEXAMPLE", "1700000000000", null));
        var queue = "tls-" + Guid.NewGuid().ToString("N");
        await broker.DeclareQueueAsync(queue);
        Assert.True((await ProtonClient.SendAsync(new ProtonSendOptions(broker.Url, "/queue/" + queue, 2))).Process.Succeeded);

        var received = await ProtonClient.ReceiveAsync(new ProtonReceiveOptions(broker.TlsUrl!, 2)
        {
            CaPemPath = rabbit.Certificate.CaPemPath,
            Address = "/amq/queue/" + queue,
            Signing = signing,
        });

        Assert.True(received.Process.Succeeded, received.Process.Describe());
        Assert.Equal(2, received.Accepted);
        Assert.Equal(Encoding.UTF8.GetBytes("""{"seq":0,"source":"qpid-proton"}"""), received.Messages[0].Body);
    }

    [SkippableFact]
    public async Task Proton_receiver_reports_a_wrong_secret_as_an_authentication_failure()
    {
        RealPeers.RequireProton();
        var broker = await rabbit.GetBrokerAsync();

        var received = await ProtonClient.ReceiveAsync(new ProtonReceiveOptions(broker.TlsUrl!, 1)
        {
            CaPemPath = rabbit.Certificate.CaPemPath,
            Address = "/amq/queue/whatever",
            Signing = new ProtonSigning("LTAIEXAMPLE", "wrong-secret", "DEFAULT_GROUP", "nobody"),
        });

        Assert.True(received.Process.ExitCode == ProtonClient.ExitAuthenticationFailed, received.Process.Describe());
    }

    [SkippableFact]
    public async Task Proton_receiver_refuses_a_server_whose_certificate_it_does_not_trust()
    {
        RealPeers.RequireProton();
        var broker = await rabbit.GetBrokerAsync();
        using var stranger = ServerCertificateFiles.IssuedByPrivateCa();

        var received = await ProtonClient.ReceiveAsync(new ProtonReceiveOptions(broker.TlsUrl!, 1)
        {
            CaPemPath = stranger.CaPemPath,
            Address = "/amq/queue/whatever",
            User = broker.User,
            Password = broker.Password,
        });

        Assert.True(received.Process.ExitCode == ProtonClient.ExitError, received.Process.Describe());
        Assert.Contains(received.Process.StdErr, l => l.Contains("certificate", StringComparison.OrdinalIgnoreCase) || l.Contains("ssl", StringComparison.OrdinalIgnoreCase));
    }

    [SkippableFact]
    public async Task Proton_trusts_a_self_signed_server_certificate_given_as_its_own_ca_file()
    {
        // The emulator's style of certificate: self-signed, not a CA, pinned by the client.
        RealPeers.RequireProton();
        using var selfSigned = ServerCertificateFiles.SelfSigned();
        await using var broker = await RabbitMqBroker.StartAsync(selfSigned);
        var queue = "self-signed-" + Guid.NewGuid().ToString("N");
        await broker.DeclareQueueAsync(queue);
        Assert.True((await ProtonClient.SendAsync(new ProtonSendOptions(broker.Url, "/queue/" + queue, 1))).Process.Succeeded);

        var received = await ProtonClient.ReceiveAsync(new ProtonReceiveOptions(broker.TlsUrl!, 1)
        {
            CaPemPath = selfSigned.CaPemPath,
            Address = "/amq/queue/" + queue,
            User = broker.User,
            Password = broker.Password,
        });

        Assert.True(received.Process.Succeeded, received.Process.Describe());
    }

    [SkippableFact]
    public async Task Disposing_a_broker_stops_the_node_its_epmd_and_removes_its_folder()
    {
        var broker = await RabbitMqBroker.StartAsync();
        Assert.True(await CanConnectAsync(broker.Port));
        Assert.True(await CanConnectAsync(broker.EpmdPort));

        await broker.DisposeAsync();

        Assert.True(broker.StoppedGracefully, "rabbitmqctl stop did not end the node; it was killed");
        Assert.False(await CanConnectAsync(broker.Port), "AMQP port still open");
        Assert.False(await CanConnectAsync(broker.EpmdPort), "private epmd still running");
        Assert.False(Directory.Exists(broker.Folder));
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
