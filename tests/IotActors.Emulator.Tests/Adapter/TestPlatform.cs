using System.Security.Cryptography.X509Certificates;
using System.Text;
using IotActors.Platform.Amqp;
using IotActors.Platform.Credentials;
using IotActors.Platform.Options;

namespace IotActors.Emulator.Tests.Adapter;

/// <summary>An emulator with one known AccessKey, and endpoints for it built the production way.</summary>
internal sealed class TestPlatform : IAsyncDisposable
{
    public const string KeyId = "LTAITestKey";
    public const string Secret = "test-secret-Value";
    public const string Group = "DEFAULT_GROUP";
    public const string Instance = "iot-06z00test";

    private TestPlatform(PlatformEmulator emulator) => Emulator = emulator;

    public PlatformEmulator Emulator { get; }

    public X509Certificate2Collection Roots => [Emulator.Certificate];

    public static async Task<TestPlatform> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            AccessKeys = { [KeyId] = Secret },
            ConsumerGroups = [Group],
            InstanceId = Instance,
            TimeScale = 0.02,
            RandomSeed = 7,
            // Scaled to 10 s: the handshake must not race the timer on a loaded machine.
            AuthenticationTimeout = TimeSpan.FromSeconds(500),
            AttachTimeout = TimeSpan.FromSeconds(500),
        };
        configure?.Invoke(options);
        return new TestPlatform(await PlatformEmulator.StartAsync(options));
    }

    public PlatformOptions Options(Action<PlatformOptions>? configure = null)
    {
        var o = new PlatformOptions
        {
            Host = Emulator.Host,
            Port = Emulator.Port,
            AccessKeyId = KeyId,
            AccessKeySecret = Secret,
            ConsumerGroupId = Group,
            IotInstanceId = Instance,
            ClientIds = ["test-client"],
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(o);
        return o;
    }

    public ReceiverEndpoint Endpoint(string clientId = "test-client", Action<PlatformOptions>? configure = null) =>
        Options(configure).CreateEndpoint(clientId, Roots);

    public void Publish(int count, string prefix = "m", string device = "dev01")
    {
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}");
            Emulator.Publish(new EmulatedMessage($"/a1Test/{device}/user/data", $"{prefix}{i}", 1_700_000_000_000 + i, body));
        }
    }

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}

/// <summary>Collects deliveries from the I/O thread and lets a test await a count.</summary>
internal sealed class DeliverySink
{
    private readonly List<ReceivedDelivery> _items = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public void Add(ReceivedDelivery delivery)
    {
        lock (_items)
        {
            _items.Add(delivery);
            foreach (var w in _waiters.Where(w => _items.Count >= w.Count).ToList())
            {
                w.Done.TrySetResult();
                _waiters.Remove(w);
            }
        }
    }

    public IReadOnlyList<ReceivedDelivery> Items { get { lock (_items) return _items.ToList(); } }

    public async Task<IReadOnlyList<ReceivedDelivery>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        Task wait;
        lock (_items)
        {
            if (_items.Count >= count) return _items.ToList();
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            wait = tcs.Task;
        }
        await wait.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        return Items;
    }
}
