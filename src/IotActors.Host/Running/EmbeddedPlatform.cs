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

    public static async Task<EmbeddedPlatform> StartAsync(EmbeddedOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
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
        var pump = new TrafficPump(simulator, options.Rate);
        embedded.Traffic = options.Rate > 0
            ? pump.RunAsync(emulator.Publish, options.Count ?? int.MaxValue, embedded._stop.Token)
            : Task.CompletedTask;
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

/// <summary>What the embedded default simulates. Bound from the <c>Embedded</c> configuration section.</summary>
public sealed class EmbeddedOptions
{
    /// <summary>Simulated devices. <b>Default:</b> 100.</summary>
    public int Devices { get; set; } = 100;

    /// <summary>Simulated products. <b>Default:</b> 3.</summary>
    public int Products { get; set; } = 3;

    /// <summary>Simulated messages per second; 0 = none. <b>Default:</b> 200.</summary>
    public double Rate { get; set; } = 200;

    /// <summary>Stop simulating after this many messages; null = until stopped. <b>Default:</b> null.</summary>
    public int? Count { get; set; }

    /// <summary>Connections (client IDs) the consumer opens to the embedded emulator. <b>Default:</b> 2.</summary>
    public int Connections { get; set; } = 2;

    /// <summary>Seed of the simulator and emulator: same seed, same traffic. <b>Default:</b> 42.</summary>
    public int Seed { get; set; } = 42;
}
