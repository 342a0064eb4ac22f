using System.Diagnostics;

namespace IotActors.Bench.Measurement;

/// <summary>A reading of the whole process (emulator, producer and consumer alike): wall time, CPU time and bytes allocated.</summary>
public readonly record struct ProcessClock(long Timestamp, TimeSpan Cpu, long Allocated)
{
    // precise: the cheap reading leaves out what threads have allocated in their current allocation contexts; under
    // server GC that made one window of a default run read 0 B/msg.
    public static ProcessClock Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessClock(Stopwatch.GetTimestamp(), process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
    }

    public TimeSpan ElapsedSince(ProcessClock start) => Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
}
