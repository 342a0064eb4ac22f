using System.Text;
using IotActors.Emulator;
using IotActors.Host.Cli;
using IotActors.Platform.Amqp;
using IotActors.Platform.Options;

namespace IotActors.Host.Tests.Cli;

public class CheckCommandTests
{
    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static void AssertAuthenticationFailure(CheckRun run)
    {
        Assert.True(run.ExitCode == CheckCommand.ConnectionFailed, run.ToString());
        Assert.Contains("FAIL [authentication] the platform refused the login of client ID iot-actors-check to consumer group", run.Error);
        Assert.Contains("Likely causes, most likely first:", run.Error);
        Assert.Contains("  1. ", run.Error);
    }

    [Fact]
    public async Task Connects_attaches_and_reports_ok()
    {
        await using var platform = await CheckPlatform.StartAsync();
        var from = Now();

        var run = await platform.CheckAsync();

        Assert.True(run.ExitCode == CheckCommand.Connected, run.ToString());
        Assert.Matches(
            $@"(?m)^OK: connected to amqps://127\.0\.0\.1:{platform.Emulator.Port} as client ID iot-actors-check, consumer group CHECK_GROUP, receiver link attached in \d+ ms\r?$",
            run.Output);
        Assert.Empty(run.Error);
        Secrets.AssertAbsent(run.All, CheckPlatform.Secret);
        Secrets.AssertNoPassword(run.All, CheckPlatform.KeyId, CheckPlatform.Secret, from, Now());
    }

    [Fact]
    public async Task Explicit_options_override_the_configuration()
    {
        await using var platform = await CheckPlatform.StartAsync();
        var environment = platform.Environment(("IOTACTORS__PLATFORM__HOST", "wrong.invalid"), ("IOTACTORS__PLATFORM__PORT", "1"),
            ("IOTACTORS__PLATFORM__TRUSTEDROOTCA", null), ("IOTACTORS__PLATFORM__CLIENTIDS", "node-1-0,node-1-1"));

        var run = await platform.CheckAsync(environment, "--host", platform.Emulator.Host, "--port", platform.Emulator.Port.ToString(),
            "--trusted-root-ca", platform.CertificatePath, "--client-id", "ops-check", "--sign-method", "HmacMD5", "--timeout", "10s");

        Assert.True(run.ExitCode == CheckCommand.Connected, run.ToString());
        Assert.Contains("as client ID ops-check, consumer group CHECK_GROUP", run.Output);
        Assert.Contains("aksign/hmacmd5", run.Output);
    }

    [Fact]
    public async Task First_configured_client_id_is_used_when_none_is_given()
    {
        await using var platform = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync(platform.Environment(("IOTACTORS__PLATFORM__CLIENTIDS", "node-1-0,node-1-1")));

        Assert.True(run.ExitCode == CheckCommand.Connected, run.ToString());
        Assert.Contains("as client ID node-1-0,", run.Output);
    }

    [Fact]
    public async Task Check_does_not_consume_a_waiting_message()
    {
        await using var platform = await CheckPlatform.StartAsync();
        platform.Emulator.Publish(new EmulatedMessage("/a1Check/dev01/user/data", "waiting-1", 1_700_000_000_000, Encoding.UTF8.GetBytes("{}")));

        var run = await platform.CheckAsync();

        Assert.True(run.ExitCode == CheckCommand.Connected, run.ToString());
        Assert.Equal(0, platform.Emulator.GetStats(CheckPlatform.Group).Accepted);

        // A real consumer still gets the message afterwards.
        var received = new TaskCompletionSource<ReceivedDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new PlatformOptions
        {
            Host = platform.Emulator.Host,
            Port = platform.Emulator.Port,
            AccessKeyId = CheckPlatform.KeyId,
            AccessKeySecret = CheckPlatform.Secret,
            ConsumerGroupId = CheckPlatform.Group,
            IotInstanceId = CheckPlatform.Instance,
            TrustedRootCa = platform.CertificatePath,
        };
        await using var consumer = await AmqpReceiver.ConnectAsync(options.CreateEndpoint("consumer"), d => received.TrySetResult(d));
        var delivery = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("waiting-1", delivery.Message?.MessageId);
        Assert.True(consumer.Accept(delivery));
        await platform.Emulator.WaitForAcceptedAsync(CheckPlatform.Group, 1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Wrong_secret_is_an_authentication_failure_with_the_secret_first_among_causes()
    {
        await using var platform = await CheckPlatform.StartAsync();
        const string wrong = "wrong-Secret+/=value-99";
        var from = Now();

        var run = await platform.CheckAsync(platform.Environment(("IOTACTORS__PLATFORM__ACCESSKEYSECRET", wrong)));

        AssertAuthenticationFailure(run);
        Assert.Contains("  1. the AccessKey secret does not belong to AccessKey ID 'LTAICheckKey'", run.Error);
        Assert.Contains("iot:sub", run.Error);
        Secrets.AssertAbsent(run.All, wrong, CheckPlatform.Secret);
        Secrets.AssertNoPassword(run.All, CheckPlatform.KeyId, wrong, from, Now());
    }

    [Fact]
    public async Task Secret_given_on_the_command_line_is_not_printed_either()
    {
        await using var platform = await CheckPlatform.StartAsync();
        const string wrong = "cli-Secret+/=value-98";
        var from = Now();

        var run = await platform.CheckAsync(platform.Environment(("IOTACTORS__PLATFORM__ACCESSKEYSECRET", null)), "--access-key-secret", wrong);

        AssertAuthenticationFailure(run);
        Secrets.AssertAbsent(run.All, wrong);
        Secrets.AssertNoPassword(run.All, CheckPlatform.KeyId, wrong, from, Now());
    }

    [Fact]
    public async Task Wrong_consumer_group_is_an_authentication_failure()
    {
        await using var platform = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync("--consumer-group", "OTHER_GROUP");

        AssertAuthenticationFailure(run);
        Assert.Contains("consumer group 'OTHER_GROUP' does not exist in this instance", run.Error);
        Secrets.AssertAbsent(run.All, CheckPlatform.Secret);
    }

    [Fact]
    public async Task Wrong_instance_id_is_an_authentication_failure()
    {
        await using var platform = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync(platform.Environment(("IOTACTORS__PLATFORM__IOTINSTANCEID", "iot-06z00other")));

        AssertAuthenticationFailure(run);
        Assert.Contains("iotInstanceId 'iot-06z00other' is not the instance behind this endpoint", run.Error);
    }

    [Fact]
    public async Task Missing_instance_id_is_an_authentication_failure()
    {
        await using var platform = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync("--instance-id", "");

        AssertAuthenticationFailure(run);
        Assert.Contains("no iotInstanceId is sent", run.Error);
    }

    [Fact]
    public async Task Expired_sts_token_is_listed_first_and_never_printed()
    {
        await using var platform = await CheckPlatform.StartAsync();
        const string stale = "stale-Token+/=value-97";
        var from = Now();
        var environment = platform.Environment(("IOTACTORS__PLATFORM__ACCESSKEYID", CheckPlatform.StsKeyId),
            ("IOTACTORS__PLATFORM__ACCESSKEYSECRET", CheckPlatform.StsSecret), ("IOTACTORS__PLATFORM__AUTHMODE", "StsToken"),
            ("IOTACTORS__PLATFORM__SECURITYTOKEN", stale));

        var run = await platform.CheckAsync(environment);

        AssertAuthenticationFailure(run);
        Assert.Contains("  1. the STS token has expired", run.Error);
        Secrets.AssertAbsent(run.All, stale, CheckPlatform.StsSecret, CheckPlatform.StsToken);
        Secrets.AssertNoPassword(run.All, CheckPlatform.StsKeyId, CheckPlatform.StsSecret, from, Now(), stale);
    }

    [Fact]
    public async Task Valid_sts_credential_connects_without_printing_the_token()
    {
        await using var platform = await CheckPlatform.StartAsync();
        var environment = platform.Environment(("IOTACTORS__PLATFORM__ACCESSKEYID", CheckPlatform.StsKeyId),
            ("IOTACTORS__PLATFORM__ACCESSKEYSECRET", CheckPlatform.StsSecret), ("IOTACTORS__PLATFORM__AUTHMODE", "ststoken"),
            ("IOTACTORS__PLATFORM__SECURITYTOKEN", CheckPlatform.StsToken));

        var run = await platform.CheckAsync(environment);

        Assert.True(run.ExitCode == CheckCommand.Connected, run.ToString());
        Secrets.AssertAbsent(run.All, CheckPlatform.StsSecret, CheckPlatform.StsToken);
    }

    [Fact]
    public async Task Untrusted_certificate_is_a_tls_failure_that_points_at_trusted_root_ca()
    {
        await using var platform = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync(platform.Environment(("IOTACTORS__PLATFORM__TRUSTEDROOTCA", null)));

        Assert.True(run.ExitCode == CheckCommand.ConnectionFailed, run.ToString());
        Assert.Contains("FAIL [TLS] the server certificate 'CN=IotActors platform emulator' (self-signed) is not trusted by this machine's CAs", run.Error);
        Assert.Contains("set Platform:TrustedRootCa", run.Error);
        Assert.Contains("never disable certificate validation", run.Error);
    }

    [Fact]
    public async Task Certificate_of_another_emulator_is_not_trusted_either()
    {
        await using var platform = await CheckPlatform.StartAsync();
        await using var other = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync(platform.Environment(("IOTACTORS__PLATFORM__TRUSTEDROOTCA", other.CertificatePath)));

        Assert.True(run.ExitCode == CheckCommand.ConnectionFailed, run.ToString());
        Assert.Contains($"is trusted by neither this machine's CAs nor Platform:TrustedRootCa '{other.CertificatePath}'", run.Error);
    }

    [Fact]
    public async Task Closed_port_is_a_tcp_failure()
    {
        using var dir = new TempDirectory();
        var port = ClosedPort();
        var environment = new Dictionary<string, string?>
        {
            ["IOTACTORS__PLATFORM__HOST"] = "127.0.0.1",
            ["IOTACTORS__PLATFORM__PORT"] = port.ToString(),
            ["IOTACTORS__PLATFORM__ACCESSKEYID"] = CheckPlatform.KeyId,
            ["IOTACTORS__PLATFORM__ACCESSKEYSECRET"] = CheckPlatform.Secret,
        };

        var run = await CheckPlatform.RunAsync(environment, dir.Path);

        Assert.True(run.ExitCode == CheckCommand.ConnectionFailed, run.ToString());
        Assert.Contains($"FAIL [TCP] connection to 127.0.0.1:{port} refused: nothing accepts connections there — hint: check Platform:Port", run.Error);
        Secrets.AssertAbsent(run.All, CheckPlatform.Secret);
    }

    [Fact]
    public async Task Unresolvable_host_is_a_dns_failure()
    {
        using var dir = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["IOTACTORS__PLATFORM__ACCESSKEYID"] = CheckPlatform.KeyId,
            ["IOTACTORS__PLATFORM__ACCESSKEYSECRET"] = CheckPlatform.Secret,
        };

        var run = await CheckPlatform.RunAsync(environment, dir.Path, "--host", "nonexistent.invalid", "--timeout", "10s");

        Assert.True(run.ExitCode == CheckCommand.ConnectionFailed, run.ToString());
        Assert.Contains("FAIL [DNS] cannot resolve host 'nonexistent.invalid'", run.Error);
        Assert.Contains("hint: check Platform:Host", run.Error);
    }

    [Fact]
    public async Task Too_many_connection_attempts_is_an_open_refusal()
    {
        // Unscaled timers: the emulator's connect-attempt minute must not pass between the two checks.
        await using var platform = await CheckPlatform.StartAsync(o =>
        {
            o.TimeScale = 1;
            o.AuthenticationTimeout = TimeSpan.FromSeconds(15);
            o.AttachTimeout = TimeSpan.FromSeconds(15);
            o.MaxConnectAttemptsPerMinutePerGroup = 1;
        });

        var first = await platform.CheckAsync();
        var second = await platform.CheckAsync();

        Assert.True(first.ExitCode == CheckCommand.Connected, first.ToString());
        Assert.True(second.ExitCode == CheckCommand.ConnectionFailed, second.ToString());
        Assert.Contains("FAIL [open] the platform refused the connection: a limit is exceeded (amqp:resource-limit-exceeded", second.Error);
        Assert.Contains("more than 100 connection attempts per minute for consumer group CHECK_GROUP", second.Error);
    }

    [Theory]
    [InlineData("IOTACTORS__PLATFORM__IDLETIMEOUT", "10", "error: Platform:IdleTimeout is 10 s; allowed 30–300 s")]
    [InlineData("IOTACTORS__PLATFORM__SIGNMETHOD", "sha256", "error: Platform:SignMethod is 'sha256'")]
    [InlineData("IOTACTORS__PLATFORM__ACCESSKEYID", "", "error: Platform:AccessKeyId is required.")]
    [InlineData("IOTACTORS__PLATFORM__TRUSTEDROOTCA", "/nonexistent/ca.pem", "error: Platform:TrustedRootCa file '/nonexistent/ca.pem' does not exist.")]
    public async Task Invalid_configuration_exits_2_listing_the_errors(string name, string value, string expected)
    {
        await using var platform = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync(platform.Environment((name, value)));

        Assert.True(run.ExitCode == CheckCommand.InvalidConfiguration, run.ToString());
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("Checking", run.Output);
        Assert.Equal(0, platform.Emulator.GetListenerStats().SocketsAccepted);
        Secrets.AssertAbsent(run.All, CheckPlatform.Secret);
    }

    [Fact]
    public async Task Idle_timeout_override_in_configuration_style_is_validated_too()
    {
        using var dir = new TempDirectory();

        var run = await CheckPlatform.RunAsync(new Dictionary<string, string?>(), dir.Path,
            "--Platform:IdleTimeout=10", "--host", "h.example", "--access-key-id", "K", "--Platform:AccessKeySecret", "cli-secret-value");

        Assert.True(run.ExitCode == CheckCommand.InvalidConfiguration, run.ToString());
        Assert.Equal("error: Platform:IdleTimeout is 10 s; allowed 30–300 s (the value the platform sees in the Open frame).", run.Error.Trim());
    }

    [Theory]
    [InlineData(new[] { "--host" }, "error: --host needs a value.")]
    [InlineData(new[] { "--timeout", "soon" }, "error: --timeout 'soon' is not a duration")]
    [InlineData(new[] { "--timeout", "20s" }, "error: Platform:ConnectTimeout is 20 s; allowed above 0 up to 15 s")]
    [InlineData(new[] { "--acces-key-secret", "typo-secret-value" }, "error: unknown option '--acces-key-secret'")]
    [InlineData(new[] { "-Platform:AccessKeySecret=typo-secret-value" }, "error: unknown option '-Platform:AccessKeySecret'")]
    [InlineData(new[] { "typo-secret-value" }, "error: an argument is neither an option nor a setting (not shown")]
    public async Task Invalid_command_line_exits_2_without_echoing_values(string[] args, string expected)
    {
        await using var platform = await CheckPlatform.StartAsync();

        var run = await platform.CheckAsync(platform.Environment(), args);

        Assert.True(run.ExitCode == CheckCommand.InvalidConfiguration, run.ToString());
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("typo-secret-value", run.All);
    }

    [Fact]
    public async Task Broken_appsettings_in_the_base_path_exits_2()
    {
        await using var platform = await CheckPlatform.StartAsync();
        File.WriteAllText(Path.Combine(platform.BasePath, "appsettings.json"), "{ \"Platform\": ");

        var run = await platform.CheckAsync();

        Assert.True(run.ExitCode == CheckCommand.InvalidConfiguration, run.ToString());
        Assert.Contains("appsettings.json", run.Error);
    }

    [Fact]
    public async Task Trusted_root_ca_that_is_not_pem_exits_2()
    {
        await using var platform = await CheckPlatform.StartAsync();
        var notPem = Path.Combine(platform.BasePath, "not-a-certificate.pem");
        File.WriteAllText(notPem, "hello");

        var run = await platform.CheckAsync("--trusted-root-ca", notPem);

        Assert.True(run.ExitCode == CheckCommand.InvalidConfiguration, run.ToString());
        Assert.Contains($"error: Platform:TrustedRootCa '{notPem}' is not a readable PEM certificate file", run.Error);
    }

    /// <summary>A loopback port nothing listens on, below the ephemeral range so that no port-0 listener takes it meanwhile.</summary>
    private static int ClosedPort() => LoopbackPorts.Unused();
}
