using System.Globalization;
using System.Runtime.CompilerServices;
using IotActors.Actors.Devices;
using IotActors.Bench.Reporting;

namespace IotActors.Bench.Probes;

/// <summary>
/// What one device's messageId window costs once full (<see cref="DeviceOptions.DedupeWindow"/> entries of
/// platform-style 19-digit IDs): the part of a busy device's memory the idle-device probe cannot see.
/// </summary>
public static class DedupeProbe
{
    public static DedupeCost Run(int windows = 200)
    {
        var entries = new DeviceOptions().DedupeWindow;
        double perWindow = 0;
        // The heap before and after must agree: an actor system of an earlier phase still tearing down frees memory
        // meanwhile, which made one run report 4× the real cost. Up to five tries; the last is taken if none is quiet.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = MemoryProbe.Heap();
            var with = HeapWithWindows(windows, entries);
            var after = MemoryProbe.Heap();
            perWindow = (with - after) / (double)windows;
            if (Math.Abs(before - after) <= 0.02 * Math.Max(1, with - after)) break;
        }
        return new DedupeCost(entries, perWindow, perWindow / entries);
    }

    /// <summary>The heap while the windows are alive; they die with this frame (not inlined, so the JIT cannot extend their life).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long HeapWithWindows(int windows, int entries)
    {
        var kept = new DedupeWindow[windows];
        long id = 1_900_000_000_000_000_000;
        for (var w = 0; w < windows; w++)
        {
            var window = DedupeWindow.Empty(entries);
            // One more than fits, so the window is full and has evicted once, as a busy device's is.
            for (var i = 0; i <= entries; i++) window.Add((id++).ToString(CultureInfo.InvariantCulture));
            kept[w] = window;
        }
        var heap = MemoryProbe.Heap();
        GC.KeepAlive(kept);
        return heap;
    }
}
