using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Amqp;
using IotActors.Actors.Persistence;
using IotActors.Bench.Measurement;
using IotActors.Bench.Probes;
using IotActors.Bench.Traffic;
using IotActors.Platform.Options;

namespace IotActors.Bench.Scenarios;

/// <summary>
/// Akka's floor under the pipeline: bare AMQPNetLite links (<see cref="BareLinks"/>) whose callback takes the device
/// from the topic and tells a sharded entity that does nothing of ours (<see cref="FloorEntities"/>); the entity answers
/// a per-link actor, which accepts. With <c>persistent</c> the entity first journals the body as one event (the durable
/// node's store: SQLite with group commit, in a fresh file) — no snapshots, deletions, state, dedupe or twin. This is
/// what one actor per device costs on top of the transport in the node the pipeline runs in (a cluster of one, the same
/// configuration, whatever <c>--topology</c> says); the pipeline does all of it and more, so beyond the drift it
/// cannot beat it, and the gap between the two is ours.
/// </summary>
/// <remarks>
/// The answer goes to a per-link actor, not straight to the link, because the pipeline settles each delivery on the
/// actor that owns its link (ordering settlement with draining and closing, which AMQPNetLite needs). Latency runs from
/// the callback's entry to the return of <c>Accept</c>, as the ceiling's does.
/// </remarks>
public sealed class AkkaFloorConsumer(PlatformOptions platform, X509Certificate2Collection roots, bool persistent, LatencyRecorder latency,
    bool verbose, int residentDevices) : IConsumerUnderTest
{
    private readonly BareLinks _links = new(platform, roots);
    private readonly string? _dataDirectory = persistent ? SqliteScratch.NewDirectory("iotactors-bench-floor-") : null;
    private PipelineNode? _node;
    private IActorRef _region = ActorRefs.Nobody;
    private int _resident;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _node = await PipelineNode.StartAsync(new PipelineNodeOptions
        {
            Persistence = persistent
                ? new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _dataDirectory! }
                : new DevicePersistenceOptions { Provider = DevicePersistenceProvider.InMemory },
            Verbose = verbose,
        }, cancellationToken);
        _region = await FloorEntities.StartRegionAsync(_node.System, persistent);
        if (residentDevices > 0)
        {
            var result = await FanOut.RunAsync(_node.System, _region, residentDevices,
                i => new FloorTouch(MessageFactory.Device(i).ToString()), reply => reply is FloorTouched,
                TimeSpan.FromSeconds(60 + residentDevices / 50.0));
            _resident = result.Answered;
        }
        await _links.OpenAsync(CallbackFor, cancellationToken);
    }

    private MessageCallback CallbackFor(string clientId)
    {
        var settler = _node!.System.ActorOf(Props.Create(() => new FloorSettler(latency)), "floor-settler-" + clientId);
        var region = _region;
        return (link, message) =>
        {
            var received = Stopwatch.GetTimestamp();
            region.Tell(new FloorWork(EntityIdOf(message), (byte[])message.Body, link, message, received), settler);
        };
    }

    /// <summary><c>productKey/deviceName</c> from the platform's topic <c>/productKey/deviceName/…</c>.</summary>
    internal static string EntityIdOf(Message message)
    {
        var topic = (string)message.ApplicationProperties["topic"];
        var end = topic.IndexOf('/', topic.IndexOf('/', 1) + 1);
        return topic[1..end];
    }

    public IReadOnlyDictionary<string, long> Counters() => new Dictionary<string, long> { ["devices_resident_before"] = _resident };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _links.DisposeAsync();
            if (_node is not null) await _node.DisposeAsync();
        }
        finally
        {
            SqliteScratch.Delete(_dataDirectory);
        }
    }

    /// <summary>Settles the deliveries of one link as its entities answer.</summary>
    private sealed class FloorSettler(LatencyRecorder latency) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is not FloorWork work)
            {
                Unhandled(message);
                return;
            }
            try
            {
                ((IReceiverLink)work.Link).Accept((Message)work.Delivery);
                latency.Record(Stopwatch.GetElapsedTime(work.ReceivedTimestamp).TotalMilliseconds);
            }
            catch (Exception e) when (e is AmqpException or ObjectDisposedException or InvalidOperationException)
            {
                // The link closed under an unfinished scenario (the bench drains before it disconnects): the platform
                // redelivers what was not accepted.
            }
        }
    }
}
