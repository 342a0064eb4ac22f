using IotActors.Bench.Measurement;

namespace IotActors.Bench.Tests;

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
}
