using System.Diagnostics;

namespace IotActors.Bench.Measurement;

/// <summary>
/// A reading of the whole process (emulator, producer and consumer alike): wall time, CPU time, bytes allocated, and
/// the collector's pauses and collections so far.
/// </summary>
public readonly record struct ProcessClock(long Timestamp, TimeSpan Cpu, long Allocated, TimeSpan GcPause, int Gen0, int Gen1, int Gen2)
{
    // Allocation from the runtime's allocation ticks, not GC.GetTotalAllocatedBytes: see AllocationMeter.
    public static ProcessClock Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessClock(Stopwatch.GetTimestamp(), process.TotalProcessorTime, AllocationMeter.Shared.Bytes,
            GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }

    public TimeSpan ElapsedSince(ProcessClock start) => Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);

    /// <summary>What the collector did between <paramref name="start"/> and this reading.</summary>
    public GcActivity GcSince(ProcessClock start)
    {
        var seconds = ElapsedSince(start).TotalSeconds;
        // CollectionCount(n) counts collections of generation n or higher: take the higher ones out.
        return new GcActivity(
            PausedFraction: seconds <= 0 ? 0 : (GcPause - start.GcPause).TotalSeconds / seconds,
            Gen0: (Gen0 - start.Gen0) - (Gen1 - start.Gen1),
            Gen1: (Gen1 - start.Gen1) - (Gen2 - start.Gen2),
            Gen2: Gen2 - start.Gen2);
    }
}

/// <summary>
/// The collector over one window: the share of wall time the process was paused (every thread stopped), and how many
/// collections of each generation ran. Blocking gen2 collections of a large heap are the long pauses.
/// </summary>
public readonly record struct GcActivity(double PausedFraction, int Gen0, int Gen1, int Gen2)
{
    public override string ToString() =>
        $"{(PausedFraction * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} % ({Gen0}/{Gen1}/{Gen2})";
}
