using Microsoft.Extensions.Hosting;

namespace IotActors.Host.Running;

/// <summary>
/// The last minutes of throughput, one sample every <see cref="Interval"/>, for the status page's chart.
/// A ring buffer: memory stays constant however long the node runs.
/// </summary>
public sealed class ThroughputHistory(PipelineCounters counters) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public const int Capacity = 120; // ten minutes

    private readonly Queue<ThroughputSample> _samples = new();

    public IReadOnlyList<ThroughputSample> Samples { get { lock (_samples) return _samples.ToList(); } }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = counters.Accepted;
        var lastTime = DateTimeOffset.UtcNow;
        Add(new ThroughputSample(lastTime.ToUnixTimeMilliseconds(), 0, last, counters.InFlight));
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = DateTimeOffset.UtcNow;
                var accepted = counters.Accepted;
                var rate = (accepted - last) / Math.Max(0.001, (now - lastTime).TotalSeconds);
                (last, lastTime) = (accepted, now);
                Add(new ThroughputSample(now.ToUnixTimeMilliseconds(), Math.Round(rate, 1), accepted, counters.InFlight));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Add(ThroughputSample sample)
    {
        lock (_samples)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Capacity) _samples.Dequeue();
        }
    }
}

/// <param name="Time">Epoch ms.</param>
/// <param name="AcceptedPerSecond">Messages accepted per second since the previous sample.</param>
/// <param name="Accepted">Messages accepted since the node started.</param>
/// <param name="InFlight">Deliveries received and not yet settled.</param>
public sealed record ThroughputSample(long Time, double AcceptedPerSecond, long Accepted, long InFlight);
