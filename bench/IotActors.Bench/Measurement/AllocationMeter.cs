using System.Diagnostics.Tracing;

namespace IotActors.Bench.Measurement;

/// <summary>
/// Bytes the whole process has allocated, as the sum of the runtime's allocation ticks (<c>GCAllocationTick</c>: one event
/// per ~100 KB a heap hands out, carrying the bytes since the previous one), read in-process.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="GC.GetTotalAllocatedBytes"/>: under server GC with dynamic adaptation (DATAS, on by default,
/// as the host and the bench run) .NET 10 sums it over the heaps active at the moment, so it drops when the collector
/// takes a heap out of use and jumps when it brings it back (dotnet/runtime#131069, fixed after 10.0). A window that
/// spans such a change reads nonsense: round 15's default run printed −41,468 and 46,050 B per message for two cells
/// whose neighbours read ~8 KB.</para>
/// <para>Accuracy: a heap's bytes since its last tick (under 100 KB) are not yet counted, the events arrive ~10 ms after
/// the allocation (both negligible against a window's gigabytes), and the events' own delivery allocates ~1 % more, in
/// every scenario alike.</para>
/// </remarks>
internal sealed class AllocationMeter : EventListener
{
    private const int GcAllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private long _bytes;
    private int _amountIndex = -1;

    /// <summary>The process's meter, listening from its first use.</summary>
    public static AllocationMeter Shared { get; } = new();

    /// <summary>Bytes allocated since the meter started listening.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // The runtime's own provider; allocation ticks are among its verbose GC events.
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != GcAllocationTickEventId || e.Payload is not { } payload) return;
        if (_amountIndex < 0) _amountIndex = e.PayloadNames?.IndexOf("AllocationAmount64") ?? -1;
        if (_amountIndex >= 0 && _amountIndex < payload.Count && payload[_amountIndex] is ulong amount)
            Interlocked.Add(ref _bytes, (long)amount);
    }
}
