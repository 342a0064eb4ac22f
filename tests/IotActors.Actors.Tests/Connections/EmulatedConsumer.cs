using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Akka.Actor;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Emulator;
using IotActors.Platform.Amqp;
using IotActors.Platform.Options;

namespace IotActors.Actors.Tests.Connections;

/// <summary>
/// A real emulator on loopback plus the real consumer actors (device region + consumer supervisor)
/// inside a test's actor system. Records the login timestamp of every connection attempt.
/// </summary>
internal sealed class EmulatedConsumer : IAsyncDisposable
{
    public const string KeyId = "LTAIActorsTest";
    public const string Secret = "actors-test-secret";
    public const string Group = "DEFAULT_GROUP";

    private EmulatedConsumer(PlatformEmulator emulator) => Emulator = emulator;

    public PlatformEmulator Emulator { get; }
    public IActorRef Devices { get; private set; } = ActorRefs.Nobody;
    public IActorRef Consumer { get; private set; } = ActorRefs.Nobody;
    public ConcurrentQueue<(string ClientId, long Timestamp)> Attempts { get; } = new();

    public static async Task<EmulatedConsumer> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            AccessKeys = { [KeyId] = Secret },
            ConsumerGroups = [Group],
            TimeScale = 0.05,
            RandomSeed = 11,
            AuthenticationTimeout = TimeSpan.FromSeconds(200), // 10 s scaled: never races a loaded machine
            AttachTimeout = TimeSpan.FromSeconds(200),
        };
        configure?.Invoke(options);
        return new EmulatedConsumer(await PlatformEmulator.StartAsync(options));
    }

    public PlatformOptions Platform(IReadOnlyList<string> clientIds, string secret = Secret) => new()
    {
        Host = Emulator.Host,
        Port = Emulator.Port,
        AccessKeyId = KeyId,
        AccessKeySecret = secret,
        ConsumerGroupId = Group,
        ClientIds = [.. clientIds],
        LinkCredit = 100,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Starts the device region and one consumer supervisor for <paramref name="platform"/>.</summary>
    public void Start(ActorSystem system, PlatformOptions platform, DeviceBehaviorRegistration behavior, ConsumerOptions? consumer = null)
    {
        Devices = system.ActorOf(DeviceRouter.Props(behavior), "devices");
        X509Certificate2Collection roots = [Emulator.Certificate];
        Consumer = system.ActorOf(ConsumerSupervisor.Props(platform.ConsumerGroupId, platform.ClientIds, clientId =>
        {
            var endpoint = platform.CreateEndpoint(clientId, roots);
            Attempts.Enqueue((clientId, long.Parse(endpoint.UserName.Split("timestamp=")[1].Split(',')[0])));
            return endpoint;
        }, Devices, consumer ?? FastConsumer), "consumer");
    }

    /// <summary>Fast reconnects for tests; the production defaults are 1 s → 60 s.</summary>
    public static readonly ConsumerOptions FastConsumer = new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        AuthenticationFailureBackoff = TimeSpan.FromSeconds(60),
        ConnectAttemptsPerMinute = 100,
        ProcessingDeadline = TimeSpan.FromSeconds(20),
        JitterSeed = 3,
    };

    public void Publish(string topic, string messageId, string body, long generateTime = 1_709_258_405_000) =>
        Emulator.Publish(new EmulatedMessage(topic, messageId, generateTime, Encoding.UTF8.GetBytes(body)));

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
