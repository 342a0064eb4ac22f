using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using IotActors.Bench.Measurement;
using IotActors.Platform.Amqp;
using IotActors.Platform.Options;

namespace IotActors.Bench.Scenarios;

/// <summary>
/// IotActors.Platform's <see cref="AmqpReceiver"/>, one per client ID, accepting each delivery in its callback: the
/// adapter's own cost (message decoding, watchdog, credit bookkeeping) without any actor. Opt-in.
/// </summary>
public sealed class AdapterReceiver(PlatformOptions platform, X509Certificate2Collection roots, LatencyRecorder latency) : IConsumerUnderTest
{
    private readonly List<AmqpReceiver> _receivers = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(platform.ClientIds.Select(async clientId =>
        {
            // Deliveries can arrive before ConnectAsync returns (credit is granted inside it): they wait for the receiver.
            var ready = new TaskCompletionSource<AmqpReceiver>(TaskCreationOptions.RunContinuationsAsynchronously);
            var receiver = await AmqpReceiver.ConnectAsync(platform.CreateEndpoint(clientId, roots), delivery =>
            {
                var self = ready.Task.IsCompleted ? ready.Task.Result : ready.Task.WaitAsync(TimeSpan.FromSeconds(15)).GetAwaiter().GetResult();
                self.Accept(delivery);
                latency.Record(Stopwatch.GetElapsedTime(delivery.ReceivedTimestamp).TotalMilliseconds);
            }, cancellationToken: cancellationToken);
            ready.SetResult(receiver);
            lock (_receivers) _receivers.Add(receiver);
        }));
    }

    public IReadOnlyDictionary<string, long> Counters() => new Dictionary<string, long>();

    public async ValueTask DisposeAsync()
    {
        List<AmqpReceiver> receivers;
        lock (_receivers) receivers = [.. _receivers];
        await Task.WhenAll(receivers.Select(r => r.CloseAsync(TimeSpan.FromSeconds(5))));
    }
}
