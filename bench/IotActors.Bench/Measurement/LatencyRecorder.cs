namespace IotActors.Bench.Measurement;

/// <summary>
/// Receive-to-accept latencies (ms) of one measured window, kept whole so percentiles are exact. Thread-safe: connection
/// callbacks record concurrently. Records only while <see cref="Start"/>ed; beyond its capacity it counts what it drops.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly double[] _samples;
    private int _count;
    private long _dropped;
    private volatile bool _recording;

    public LatencyRecorder(int capacity = 4_000_000) => _samples = new double[capacity];

    public void Start()
    {
        _count = 0;
        _dropped = 0;
        _recording = true;
    }

    public void Stop() => _recording = false;

    public void Record(double milliseconds)
    {
        if (!_recording) return;
        var i = Interlocked.Increment(ref _count) - 1;
        if (i < _samples.Length) _samples[i] = milliseconds;
        else Interlocked.Increment(ref _dropped);
    }

    /// <summary>Percentiles of what was recorded since the last <see cref="Start"/>; null when nothing was.</summary>
    public LatencySummary? Summarize()
    {
        var n = Math.Min(Volatile.Read(ref _count), _samples.Length);
        if (n == 0) return null;
        var sorted = _samples.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        return new LatencySummary(n, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1], Interlocked.Read(ref _dropped));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Receive-to-accept latency of a window, in milliseconds.</summary>
public sealed record LatencySummary(int Samples, double P50, double P99, double Max, long Dropped);
