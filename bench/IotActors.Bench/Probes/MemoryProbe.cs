using System.Diagnostics;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Bench.Measurement;
using IotActors.Bench.Reporting;
using IotActors.Bench.Scenarios;
using IotActors.Bench.Traffic;

namespace IotActors.Bench.Probes;

/// <summary>
/// Managed memory of idle resident device actors (twins, in-memory journal, no consumer): incarnate a tenth of the
/// devices (every shard then exists), then all of them, and divide the heap growth between the two by the devices added,
/// so fixed costs (shards, first-use caches) are left out. Devices are incarnated by <see cref="GetDeviceState"/>, which writes nothing to the
/// journal: what is measured is the actor, its twin and its empty messageId window, plus the region's bookkeeping.
/// With <c>passivateAfter</c> set it then waits until every device has passivated and measures what came back.
/// </summary>
public static class MemoryProbe
{
    public static async Task<MemoryResult> RunAsync(int devices, TimeSpan? passivateAfter, Topology topology, bool verbose, TextWriter log)
    {
        var result = new MemoryResult { Devices = devices, Topology = topology.ToString().ToLowerInvariant() };
        using var metrics = new PipelineMetrics();
        var node = await PipelineNode.StartAsync(new PipelineNodeOptions
        {
            Topology = topology,
            Persistence = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.InMemory },
            // Without the check, devices must stay resident however long incarnating a million takes.
            ConfigureDevices = o => o.PassivateAfter = passivateAfter ?? TimeSpan.FromDays(1),
            Verbose = verbose,
        });
        try
        {
            var timeout = TimeSpan.FromSeconds(120 + devices / 2_000.0);
            var empty = Heap();
            var first = Math.Max(1, devices / 10);
            var clock = Stopwatch.StartNew();
            await Incarnate(node, 0, first, timeout);
            var tenth = Heap();
            await Incarnate(node, first, devices, timeout);
            var incarnateSeconds = clock.Elapsed.TotalSeconds;
            var all = Heap();
            var alive = metrics.DevicesAlive;
            result = result with
            {
                IncarnateSeconds = incarnateSeconds,
                DevicesPerSecond = devices / incarnateSeconds,
                BytesPerDevice = devices > first ? (all - tenth) / (double)(devices - first) : (all - empty) / (double)devices,
                HeapBeforeBytes = empty,
                ManagedHeapBytes = all,
                WorkingSetBytes = Environment.WorkingSet,
                DevicesAliveAtMeasure = alive,
            };
            if (alive < devices)
                log.WriteLine($"    only {alive} of {devices} devices were alive at the measurement: raise --passivate-after");

            if (passivateAfter is { } after)
            {
                var passivating = Stopwatch.StartNew();
                var deadline = after + TimeSpan.FromSeconds(60 + devices / 5_000.0);
                while (metrics.DevicesAlive > 0 && passivating.Elapsed < deadline) await Task.Delay(200);
                var passivated = Heap();
                result = result with
                {
                    PassivationSeconds = passivating.Elapsed.TotalSeconds,
                    DevicesAliveAfterPassivation = metrics.DevicesAlive,
                    // Measured against what the devices were found to cost, so fixed costs of the region do not count.
                    PassivationReturnedFraction = result.BytesPerDevice > 0 ? (all - passivated) / (result.BytesPerDevice * devices) : null,
                };
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            log.WriteLine($"    memory probe ({devices} devices) failed: {e.Message}");
            result = result with { Error = e.Message };
        }
        finally
        {
            await node.DisposeAsync();
        }
        return result;
    }

    private static Task Incarnate(PipelineNode node, int from, int to, TimeSpan timeout) =>
        FanOut.RunAsync(node.System, node.Devices, to - from,
            i => new GetDeviceState(MessageFactory.Device(from + i)),
            reply => reply is DeviceStateReply, timeout);

    /// <summary>
    /// The heap once it stops shrinking: an earlier phase's actor system may still be tearing down and freeing memory,
    /// which made a heap difference taken across it negative. Up to five readings; the last is taken if none agree.
    /// </summary>
    internal static long SettledHeap()
    {
        var previous = Heap();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var next = Heap();
            if (Math.Abs(previous - next) <= 1 << 20) return next;
            previous = next;
        }
        return previous;
    }

    /// <summary>The managed heap after a full, compacting collection.</summary>
    internal static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
