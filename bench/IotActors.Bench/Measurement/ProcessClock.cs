using System.Diagnostics;

namespace IotActors.Bench.Measurement;

/// <summary>A reading of the whole process (emulator, producer and consumer alike): wall time, CPU time and bytes allocated.</summary>
public readonly record struct ProcessClock(long Timestamp, TimeSpan Cpu, long Allocated)
{
    public static ProcessClock Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessClock(Stopwatch.GetTimestamp(), process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: false));
    }

    public TimeSpan ElapsedSince(ProcessClock start) => Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
}
