using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using IotActors.Emulator;
using IotActors.Emulator.Simulation;
using IotActors.Platform.Messages;
using IotActors.Platform.Options;
using IotActors.TestKit.Network;
using Microsoft.Extensions.Logging;

namespace IotActors.TestKit.Platform;

/// <summary>
/// The IoT Platform for a test: the emulator on a free loopback port (TLS with its own certificate, real SASL
/// signatures, ack timeouts, stacked replay), a seeded device simulator and its ground truth, a record of every
/// message published and every transfer made, and the platform's fault injectors. No cloud account.
/// </summary>
/// <example>
/// <code>
/// await using var platform = await EmulatedPlatform.StartAsync();
/// var options = platform.PlatformOptions(["client-1", "client-2"]);
/// await platform.SendSimulatedAsync(2_000, ratePerSecond: 500);
/// await platform.WaitUntilSettledAsync(TimeSpan.FromMinutes(1));
/// </code>
/// </example>
public sealed class EmulatedPlatform : IAsyncDisposable
{
    /// <summary>AccessKey ID the emulator accepts.</summary>
    public const string AccessKeyId = "LTAITestKitKey";

    /// <summary>Its secret; a local test value, never a real one.</summary>
    public const string AccessKeySecret = "testkit-local-secret";

    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private readonly ConcurrentDictionary<string, DeviceId> _deviceOfMessage = new(StringComparer.Ordinal);
    private readonly object _simulatorGate = new();
    private long _order;

    private EmulatedPlatform(PlatformEmulator emulator, EmulatedPlatformOptions options, EmulatorOptions emulatorOptions)
    {
        Emulator = emulator;
        ConsumerGroup = options.ConsumerGroup;
        // From the emulator's own options, after Configure: a changed ack timeout or time scale shows here too.
        AckTimeout = emulatorOptions.AckTimeout * emulatorOptions.TimeScale;
        Simulator = new DeviceSimulator(new SimulatorOptions { Devices = options.Devices, Products = options.Products, Seed = options.SimulatorSeed });
        Faults = new PlatformFaults(emulator);
        TrustedRoots = [emulator.Certificate];
    }

    /// <summary>The emulator itself, for anything this fixture does not wrap.</summary>
    public PlatformEmulator Emulator { get; }

    public string ConsumerGroup { get; }

    /// <summary>After this an unacknowledged delivery is pushed again (the scaled 30 s of the platform).</summary>
    public TimeSpan AckTimeout { get; }

    /// <summary>The seeded simulator behind <see cref="SendSimulatedAsync"/>; <see cref="DeviceSimulator.Truth"/> is what it sent.</summary>
    public DeviceSimulator Simulator { get; }

    /// <summary>What the simulated devices reported, device by device (latest property values, status, events).</summary>
    public GroundTruth Truth
    {
        get { lock (_simulatorGate) return Simulator.Truth; }
    }

    /// <summary>Platform-side faults: forced closes, drops, duplicates, reordering, lost acks, throttling, failing logins.</summary>
    public PlatformFaults Faults { get; }

    /// <summary>Roots a client must trust for the emulator's certificate.</summary>
    public X509Certificate2Collection TrustedRoots { get; }

    /// <summary>Every message published through this fixture, in order.</summary>
    public IReadOnlyList<SentMessage> Sent => [.. _sent];

    public EmulatorStats Stats => Emulator.GetStats(ConsumerGroup);

    /// <summary>Every transfer the platform made so far, in order.</summary>
    public IReadOnlyList<DeliveryRecord> Deliveries => Emulator.GetDeliveryLog(ConsumerGroup);

    /// <summary>Starts the emulator on a free loopback port.</summary>
    public static async Task<EmulatedPlatform> StartAsync(EmulatedPlatformOptions? options = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new EmulatedPlatformOptions();
        var emulatorOptions = new EmulatorOptions
        {
            AccessKeys = { [AccessKeyId] = AccessKeySecret },
            ConsumerGroups = [options.ConsumerGroup],
            TimeScale = options.TimeScale,
            RandomSeed = options.EmulatorSeed,
            RecordDeliveries = true,
            // Login and attach limits stay near their real 15 s: a loaded test machine must not trip them.
            AuthenticationTimeout = TimeSpan.FromSeconds(15 / options.TimeScale),
            AttachTimeout = TimeSpan.FromSeconds(15 / options.TimeScale),
        };
        options.Configure?.Invoke(emulatorOptions);
        var emulator = await PlatformEmulator.StartAsync(emulatorOptions, loggerFactory, cancellationToken).ConfigureAwait(false);
        return new EmulatedPlatform(emulator, options, emulatorOptions);
    }

    /// <summary>
    /// Options that point a consumer at this platform (or at <paramref name="via"/>, a fault proxy in front of it),
    /// with the test credentials and the given client IDs.
    /// </summary>
    public PlatformOptions PlatformOptions(IReadOnlyList<string> clientIds, TcpFaultProxy? via = null, int linkCredit = 100) => new()
    {
        Host = "127.0.0.1",
        Port = via?.Port ?? Emulator.Port,
        AccessKeyId = AccessKeyId,
        AccessKeySecret = AccessKeySecret,
        ConsumerGroupId = ConsumerGroup,
        ClientIds = [.. clientIds],
        LinkCredit = linkCredit,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A TCP fault proxy in front of this platform; dispose it with the test.</summary>
    public TcpFaultProxy CreateProxy() => new(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Emulator.Port));

    /// <summary>Publishes one message (its topic must name a device, e.g. <c>/{productKey}/{deviceName}/user/x</c>).</summary>
    public void Publish(EmulatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (TopicParser.Parse(message.Topic).Topic is not { Device: { } device })
            throw new ArgumentException($"Topic '{message.Topic}' names no device.", nameof(message));
        Record(device, message.MessageId);
        Emulator.Publish(message);
    }

    /// <summary>Publishes the simulator's next <paramref name="count"/> messages at once.</summary>
    public void PublishSimulated(int count)
    {
        for (var i = 0; i < count; i++) Publish(NextSimulated());
    }

    /// <summary>Publishes the simulator's next <paramref name="count"/> messages at <paramref name="ratePerSecond"/>; bounded by the count.</summary>
    public Task SendSimulatedAsync(int count, double ratePerSecond, CancellationToken cancellationToken = default) =>
        PaceAsync(count, ratePerSecond, NextSimulated, cancellationToken);

    /// <summary>Publishes your own <paramref name="messages"/> in order at <paramref name="ratePerSecond"/>.</summary>
    public Task PublishAsync(IReadOnlyList<EmulatedMessage> messages, double ratePerSecond, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var next = 0;
        return PaceAsync(messages.Count, ratePerSecond, () => messages[next++], cancellationToken);
    }

    private async Task PaceAsync(int count, double ratePerSecond, Func<EmulatedMessage> next, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        // Small bursts on a ~10 ms tick: timers are too coarse to space single messages at high rates.
        var perTick = Math.Max(1, (int)Math.Ceiling(ratePerSecond / 100));
        var tick = TimeSpan.FromSeconds(perTick / ratePerSecond);
        using var timer = new PeriodicTimer(tick);
        var sent = 0;
        while (sent < count)
        {
            for (var i = 0; i < perTick && sent < count; i++, sent++) Publish(next());
            if (sent < count) await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes once <paramref name="count"/> receiver links are attached.</summary>
    public Task WaitForAttachedAsync(int count, TimeSpan timeout) =>
        Emulator.WaitForStatsAsync(ConsumerGroup, s => s.AttachedReceivers >= count, timeout);

    /// <summary>
    /// Completes when everything published was acknowledged: nothing pending, in flight or stacked. Throws
    /// <see cref="TimeoutException"/> with the platform's counters otherwise.
    /// </summary>
    public Task WaitUntilSettledAsync(TimeSpan timeout)
    {
        var published = _sent.Count;
        return Emulator.WaitForStatsAsync(ConsumerGroup,
            s => s.Published >= published && s.Pending == 0 && s.InFlight == 0 && s.Stacked == 0, timeout);
    }

    /// <summary>The device a published messageId belongs to.</summary>
    public bool TryGetDevice(string messageId, out DeviceId device) => _deviceOfMessage.TryGetValue(messageId, out device!);

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();

    private EmulatedMessage NextSimulated()
    {
        lock (_simulatorGate) return Simulator.Next();
    }

    private void Record(DeviceId device, string messageId)
    {
        _deviceOfMessage.TryAdd(messageId, device);
        _sent.Enqueue(new SentMessage(device, messageId, Interlocked.Increment(ref _order)));
    }
}
