using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotActors.Emulator;
using IotActors.Platform.Options;
using Microsoft.Extensions.Logging;

namespace IotActors.Bench;

/// <summary>
/// The one emulator every scenario of a run talks to: loopback, TLS, the platform's signed logins, with the limits
/// that would cap a benchmark lifted (see <see cref="Options"/>).
/// </summary>
public sealed class BenchEmulator : IAsyncDisposable
{
    public const string Group = "DEFAULT_GROUP";
    private const string KeyId = "LTAIBenchKey";
    private readonly string _secret;

    private BenchEmulator(PlatformEmulator emulator, string secret)
    {
        Emulator = emulator;
        _secret = secret;
    }

    public PlatformEmulator Emulator { get; }

    public X509Certificate2Collection TrustedRoots => [Emulator.Certificate];

    /// <summary>
    /// The platform's documented limits, except the two a benchmark must lift: 1,000 transfers/s per connection
    /// (it would cap every scenario at 1,000 × connections, hiding the ceiling) and 200/s of stacked replay; plus
    /// the connect-attempt budget and client cap, which a run that opens 64 connections per scenario back to back
    /// would exhaust. Ack timeout (30 s), idle and attach rules stay as the platform has them.
    /// </summary>
    public static EmulatorOptions Options(string secret) => new()
    {
        AccessKeys = { [KeyId] = secret },
        ConsumerGroups = [Group],
        RandomSeed = 1,
        MaxMessagesPerSecondPerConnection = 100_000_000,
        StackedReplayPerSecond = 100_000_000,
        MaxClientsPerGroup = 256,
        MaxConnectAttemptsPerMinutePerGroup = 100_000,
    };

    public static async Task<BenchEmulator> StartAsync(ILoggerFactory loggerFactory)
    {
        // A fresh random secret per run: it never leaves this process.
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        return new BenchEmulator(await PlatformEmulator.StartAsync(Options(secret), loggerFactory), secret);
    }

    /// <summary>How a consumer reaches the emulator with <paramref name="clientIds"/> and <paramref name="credit"/>.</summary>
    public PlatformOptions Platform(IReadOnlyList<string> clientIds, int credit) => new()
    {
        Host = Emulator.Host,
        Port = Emulator.Port,
        AccessKeyId = KeyId,
        AccessKeySecret = _secret,
        ConsumerGroupId = Group,
        ClientIds = [.. clientIds],
        LinkCredit = credit,
        ConnectTimeout = TimeSpan.FromSeconds(15),
    };

    public EmulatorStats Stats() => Emulator.GetStats(Group);

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
