using System.CommandLine;
using IotActors.Emulator;
using IotActors.Host.Cli;
using IotActors.Host.Configuration;
using IotActors.Platform.Credentials;

namespace IotActors.Host.Tests.Cli;

/// <summary>What one run of <c>check</c> printed and returned.</summary>
internal sealed record CheckRun(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}--- stderr ---\n{Error}";
}

/// <summary>
/// A platform emulator on loopback with one AccessKey, one STS credential, one consumer group and an
/// instance ID, its certificate exported to a temp PEM, and <c>check</c> run in-process against it with
/// an injected environment.
/// </summary>
internal sealed class CheckPlatform : IAsyncDisposable
{
    public const string KeyId = "LTAICheckKey";
    public const string Secret = "check-Secret+/=value-42";
    public const string StsKeyId = "STS.CheckKey";
    public const string StsSecret = "sts-Secret+/=value-43";
    public const string StsToken = "sts-Token+/=value-44";
    public const string Group = "CHECK_GROUP";
    public const string Instance = "iot-06z00check";

    private readonly TempDirectory _directory;

    private CheckPlatform(PlatformEmulator emulator, TempDirectory directory, string certificatePath)
    {
        Emulator = emulator;
        _directory = directory;
        CertificatePath = certificatePath;
    }

    public PlatformEmulator Emulator { get; }

    /// <summary>The emulator's certificate as PEM: what the client trusts as Platform:TrustedRootCa.</summary>
    public string CertificatePath { get; }

    /// <summary>The base path of the in-process runs (holds no appsettings.json unless a test writes one).</summary>
    public string BasePath => _directory.Path;

    public static async Task<CheckPlatform> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            AccessKeys = { [KeyId] = Secret },
            StsCredentials = [new StsCredential(StsKeyId, StsSecret, StsToken)],
            ConsumerGroups = [Group],
            InstanceId = Instance,
            TimeScale = 0.02,
            RandomSeed = 11,
            // Scaled to 10 s: the handshake must not race the emulator's timers on a loaded machine.
            AuthenticationTimeout = TimeSpan.FromSeconds(500),
            AttachTimeout = TimeSpan.FromSeconds(500),
        };
        configure?.Invoke(options);
        var emulator = await PlatformEmulator.StartAsync(options);
        var directory = new TempDirectory();
        var pem = directory.File("emulator-ca.pem");
        emulator.ExportCertificatePem(pem);
        return new CheckPlatform(emulator, directory, pem);
    }

    /// <summary>Environment variables for a complete, correct configuration, with <paramref name="overrides"/> (null removes one).</summary>
    public Dictionary<string, string?> Environment(params (string Name, string? Value)[] overrides)
    {
        var environment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["IOTACTORS__PLATFORM__HOST"] = Emulator.Host,
            ["IOTACTORS__PLATFORM__PORT"] = Emulator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["IOTACTORS__PLATFORM__ACCESSKEYID"] = KeyId,
            ["IOTACTORS__PLATFORM__ACCESSKEYSECRET"] = Secret,
            ["IOTACTORS__PLATFORM__CONSUMERGROUPID"] = Group,
            ["IOTACTORS__PLATFORM__IOTINSTANCEID"] = Instance,
            ["IOTACTORS__PLATFORM__TRUSTEDROOTCA"] = CertificatePath,
        };
        foreach (var (name, value) in overrides)
        {
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
        return environment;
    }

    public Task<CheckRun> CheckAsync(params string[] args) => RunAsync(Environment(), BasePath, args);

    public Task<CheckRun> CheckAsync(Dictionary<string, string?> environment, params string[] args) => RunAsync(environment, BasePath, args);

    /// <summary>Runs <c>iot-actors check</c> in-process through a root command, output captured.</summary>
    public static async Task<CheckRun> RunAsync(IReadOnlyDictionary<string, string?> environment, string basePath, params string[] args)
    {
        var root = new RootCommand { CheckCommand.Create(a => IotActorsConfiguration.Build(a, basePath, environment)) };
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await root.Parse(["check", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error })
            .WaitAsync(TimeSpan.FromSeconds(60));
        return new CheckRun(exitCode, output.ToString(), error.ToString());
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return Emulator.DisposeAsync();
    }
}

/// <summary>Secrets must never reach check's output: not the secret, not a password computed from it, not a token.</summary>
internal static class Secrets
{
    public static void AssertAbsent(string text, params string[] secrets)
    {
        foreach (var secret in secrets) Assert.DoesNotContain(secret, text);
    }

    /// <summary>
    /// No SASL password signed in [<paramref name="fromMs"/>, <paramref name="toMs"/>] appears (the
    /// timestamp is chosen inside check, so every millisecond of the run is tried, with every sign method).
    /// </summary>
    public static void AssertNoPassword(string text, string keyId, string secret, long fromMs, long toMs, string? token = null)
    {
        Assert.True(toMs - fromMs < 120_000, "the run took too long to try every timestamp");
        for (var t = fromMs; t <= toMs; t++)
        {
            var timestamp = t.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var method in Enum.GetValues<SignMethod>())
            {
                var password = PasswordSignature.Compute(method, secret, keyId, timestamp, token);
                if (text.Contains(password, StringComparison.Ordinal)) Assert.Fail($"check printed the SASL password signed at {timestamp} ({method}).");
            }
        }
    }
}
