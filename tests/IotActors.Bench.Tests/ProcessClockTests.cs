using IotActors.Bench.Measurement;

namespace IotActors.Bench.Tests;

[Collection(AloneInProcess.Name)]
public sealed class ProcessClockTests
{
    [Fact]
    public void Collections_are_counted_by_the_generation_they_reached_and_pauses_as_a_share_of_the_window()
    {
        // GC.CollectionCount(n) counts collections of generation n or higher: 10 collections in all, 4 of them gen1 or
        // gen2, 1 of them gen2 → 6 gen0, 3 gen1, 1 gen2.
        var start = new ProcessClock(0, TimeSpan.Zero, 0, TimeSpan.FromMilliseconds(100), Gen0: 20, Gen1: 5, Gen2: 2);
        var end = start with
        {
            Timestamp = System.Diagnostics.Stopwatch.Frequency * 2, // two seconds later
            GcPause = TimeSpan.FromMilliseconds(600),
            Gen0 = 30,
            Gen1 = 9,
            Gen2 = 3,
        };

        var gc = end.GcSince(start);

        Assert.Equal(new GcActivity(0.25, Gen0: 6, Gen1: 3, Gen2: 1), gc);
        Assert.Equal("25.0 % (6/3/1)", gc.ToString());
    }

    [Fact]
    public void A_reading_of_the_process_sees_a_forced_collection()
    {
        var before = ProcessClock.Now();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var gc = ProcessClock.Now().GcSince(before);

        Assert.True(gc.Gen2 >= 1, gc.ToString());
        Assert.InRange(gc.PausedFraction, 0, 1);
    }

    [Fact]
    public void The_allocation_meter_counts_what_the_process_allocates()
    {
        var meter = AllocationMeter.Shared;
        // Listening from its first use: wait for its first tick before taking the baseline.
        var warmup = new List<byte[]>();
        Assert.True(SpinWait.SpinUntil(() => { warmup.Add(new byte[1024]); return meter.Bytes > 0; }, TimeSpan.FromSeconds(30)),
            "the runtime sent no allocation tick");
        var before = meter.Bytes;

        const int arrays = 200_000, size = 200; // 224 B each with the array's header: ~44.8 MB
        var kept = new byte[arrays / 1000][];
        for (var i = 0; i < arrays; i++)
        {
            var array = new byte[size];
            if (i % 1000 == 0) kept[i / 1000] = array;
        }
        const long allocated = arrays * 224L;

        // Ticks arrive on the runtime's dispatch thread, a few milliseconds behind the allocation.
        Assert.True(SpinWait.SpinUntil(() => meter.Bytes - before >= allocated - 1_000_000, TimeSpan.FromSeconds(30)),
            $"counted {meter.Bytes - before} of {allocated} bytes");
        Assert.InRange(meter.Bytes - before, allocated - 1_000_000, allocated * 11 / 10 + 20_000_000);
        GC.KeepAlive(kept);
        GC.KeepAlive(warmup);
    }
}

/// <summary>Tests that read the whole process (its allocation) run alone, after the tests that run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneInProcess
{
    public const string Name = "alone in the process";
}
