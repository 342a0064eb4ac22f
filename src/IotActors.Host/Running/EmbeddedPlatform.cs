using System.Security.Cryptography.X509Certificates;
using IotActors.Emulator;
using IotActors.Emulator.Simulation;
using IotActors.Platform.Options;
using Microsoft.Extensions.Logging;

namespace IotActors.Host.Running;

/// <summary>
/// The embedded default of <c>iot-actors run</c>: the platform emulator on a free loopback port, fed by
/// the device simulator, and the <see cref="PlatformOptions"/> that point the consumer at it.
/// </summary>
public sealed class EmbeddedPlatform : IAsyncDisposable
{
    private const string KeyId = "LTAIEmbeddedKey";
    private readonly CancellationTokenSource _stop = new();

    private EmbeddedPlatform(PlatformEmulator emulator, DeviceSimulator simulator, PlatformOptions platform, Task traffic)
    {
        Emulator = emulator;
        Simulator = simulator;
        Platform = platform;
        Traffic = traffic;
    }

    public PlatformEmulator Emulator { get; }
    public DeviceSimulator Simulator { get; }
    public PlatformOptions Platform { get; }
    public X509Certificate2Collection TrustedRoots => [Emulator.Certificate];

    /// <summary>Completes when the simulator has published everything it was asked to (or was stopped).</summary>
    public Task Traffic { get; private set; }

    /// <summary>Starts the emulator and, when <see cref="EmbeddedOptions.SimulatesTraffic"/>, the simulated traffic.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> fail <see cref="EmbeddedOptions.Validate"/>; nothing was started.</exception>
    public static async Task<EmbeddedPlatform> StartAsync(EmbeddedOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is [var first, ..]) throw new ArgumentException(first, nameof(options));
        // A fresh random secret per run: it never leaves this process.
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var emulator = await PlatformEmulator.StartAsync(new EmulatorOptions
        {
            AccessKeys = { [KeyId] = secret },
            ConsumerGroups = ["DEFAULT_GROUP"],
            RandomSeed = options.Seed,
        }, loggerFactory, cancellationToken);

        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = options.Devices, Products = options.Products, Seed = options.Seed });
        var platform = new PlatformOptions
        {
            Host = emulator.Host,
            Port = emulator.Port,
            AccessKeyId = KeyId,
            AccessKeySecret = secret,
            ConsumerGroupId = "DEFAULT_GROUP",
            ClientIds = [.. Enumerable.Range(0, options.Connections).Select(i => $"embedded-{i}")],
        };

        var embedded = new EmbeddedPlatform(emulator, simulator, platform, Task.CompletedTask);
        // A pump only exists for a positive rate: TrafficPump refuses 0, which here means "no traffic".
        if (options.SimulatesTraffic)
            embedded.Traffic = new TrafficPump(simulator, options.Rate).RunAsync(emulator.Publish, options.Count ?? int.MaxValue, embedded._stop.Token);
        return embedded;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await Traffic; } catch (OperationCanceledException) { }
        await Emulator.DisposeAsync();
        _stop.Dispose();
    }
}
