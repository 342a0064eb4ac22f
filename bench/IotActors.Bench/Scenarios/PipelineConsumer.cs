using System.Security.Cryptography.X509Certificates;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Bench.Measurement;
using IotActors.Bench.Probes;
using IotActors.Bench.Traffic;
using IotActors.Platform.Options;

namespace IotActors.Bench.Scenarios;

/// <summary>
/// The full pipeline as a scenario: a <see cref="PipelineNode"/> with the consumer, device twins in memory or journaled
/// to a fresh SQLite file (deleted afterwards). Latency is the pipeline's own <c>iotactors.receive_to_ack.duration</c>
/// histogram, from the AMQP receive callback to the accept, read through <see cref="PipelineMetrics"/>.
/// </summary>
/// <remarks>
/// With <c>residentDevices</c> &gt; 0 every device of the cell is incarnated (recovered from its journal) before the
/// consumer connects, and <see cref="ThroughputRun"/> then sends each of them one message before the warm-up, so the
/// measured window shows a fleet in steady state rather than its first contact (the bench's default; <c>--cold-fleet</c>
/// measures first contact). 100k devices take ~4 s in memory and ~25 s on SQLite.
/// </remarks>
public sealed class PipelineConsumer(PlatformOptions platform, X509Certificate2Collection roots, bool durable, Topology topology,
    LatencyRecorder latency, bool verbose, int residentDevices, bool sqliteAsBefore = false, bool everyMessage = false,
    SqliteSynchronous synchronous = SqliteSynchronous.Full, bool groupCommit = true,
    int checkpointPages = DevicePersistenceOptions.DefaultSqliteCheckpointPages, bool keepEvents = false, bool spreadSnapshots = true, bool backgroundCheckpoints = true,
    DeviceOptions? devices = null) : IConsumerUnderTest
{
    private readonly PipelineMetrics _metrics = new();
    private readonly string? _dataDirectory = durable ? SqliteScratch.NewDirectory("iotactors-bench-") : null;
    private PipelineNode? _node;
    private int _resident;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _metrics.Latency = latency;
        var persistence = durable
            ? new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _dataDirectory!, SqliteSynchronous = synchronous, SqliteGroupCommit = groupCommit, SqliteCheckpointPages = checkpointPages, SqliteBackgroundCheckpoints = backgroundCheckpoints }
            : new DevicePersistenceOptions { Provider = DevicePersistenceProvider.InMemory };
        _node = await PipelineNode.StartAsync(new PipelineNodeOptions
        {
            Topology = topology,
            Persistence = persistence,
            Platform = platform,
            TrustedRoots = roots,
            Verbose = verbose,
            SqliteAsBefore = sqliteAsBefore,
            ConfigureDevices = o =>
            {
                if (devices is not null)
                {
                    o.SnapshotEvery = devices.SnapshotEvery;
                    o.DedupeWindow = devices.DedupeWindow;
                }
                if (everyMessage) o.StateWrites = DeviceStateWrites.EveryMessage;
                if (keepEvents) o.DeleteEventsOnSnapshot = false;
                o.SpreadSnapshots = spreadSnapshots;
            },
        }, cancellationToken);
        if (residentDevices > 0)
        {
            var result = await FanOut.RunAsync(_node.System, _node.Devices, residentDevices,
                i => new GetDeviceState(MessageFactory.Device(i)), reply => reply is DeviceStateReply,
                TimeSpan.FromSeconds(60 + residentDevices / 50.0));
            _resident = result.Answered;
        }
    }

    public IReadOnlyDictionary<string, long> Counters() => new Dictionary<string, long>
    {
        ["released"] = _metrics.Released,
        ["parked"] = _metrics.Parked,
        ["devices_alive"] = _metrics.DevicesAlive,
        ["devices_resident_before"] = _resident,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_node is not null) await _node.DisposeAsync();
        }
        finally
        {
            _metrics.Dispose();
            SqliteScratch.Delete(_dataDirectory);
        }
    }
}
