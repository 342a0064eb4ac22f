using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

public sealed class SnapshotScheduleTests
{
    private static IEnumerable<string> Fleet(int devices) =>
        Enumerable.Range(0, devices).Select(i => $"device-a1Fleet/dev{i:D5}");

    /// <summary>The sequence numbers at which a device that snapshots whenever it is due takes its snapshots.</summary>
    private static List<long> SnapshotsUpTo(SnapshotSchedule schedule, long last)
    {
        var taken = new List<long>();
        long snapshotAt = 0;
        for (long sequenceNr = 1; sequenceNr <= last; sequenceNr++)
        {
            if (!schedule.IsDue(snapshotAt, sequenceNr)) continue;
            taken.Add(sequenceNr);
            snapshotAt = sequenceNr;
        }
        return taken;
    }

    [Fact]
    public void Without_spread_snapshots_fall_on_multiples_of_snapshot_every()
    {
        var schedule = SnapshotSchedule.For("device-a1Fleet/dev00001", 100, spread: false);

        Assert.Equal(0, schedule.Phase);
        Assert.Equal([100L, 200L, 300L], SnapshotsUpTo(schedule, 350));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public void Every_device_snapshots_at_most_snapshot_every_events_after_the_previous_one(int every)
    {
        foreach (var id in Fleet(500))
        {
            var taken = SnapshotsUpTo(SnapshotSchedule.For(id, every, spread: true), 5 * every);

            Assert.InRange(taken[0], 1, every);
            Assert.All(taken.Zip(taken.Skip(1)), pair => Assert.Equal(every, pair.Item2 - pair.Item1));
            Assert.Equal(5, taken.Count);
        }
    }

    [Fact]
    public void A_fleet_that_starts_together_has_its_first_snapshots_spread_over_the_whole_cycle()
    {
        const int devices = 2_000;
        var firsts = Fleet(devices).Select(id => SnapshotsUpTo(SnapshotSchedule.For(id, 100, spread: true), 100)[0]).ToList();

        // Each tenth of the cycle takes about a tenth of the fleet (without spread, all 2,000 come at event 100).
        for (var tenth = 0; tenth < 10; tenth++)
        {
            var inTenth = firsts.Count(s => s > tenth * 10 && s <= (tenth + 1) * 10);
            Assert.InRange(inTenth, devices / 20, devices * 3 / 20);
        }
    }

    [Fact]
    public void A_device_keeps_its_phase_and_a_recovered_snapshot_off_the_phase_is_followed_within_the_cycle()
    {
        var id = Fleet(1).Single();
        var phase = SnapshotSchedule.For(id, 100, spread: true).Phase;
        Assert.Equal(phase, SnapshotSchedule.For(id, 100, spread: true).Phase);

        // A snapshot taken at 150 (by the unspread rule of an older version, say): the next is where the phase says, within 100 events.
        var schedule = SnapshotSchedule.For(id, 100, spread: true);
        var next = Enumerable.Range(151, 100).First(s => schedule.IsDue(150, s));
        Assert.Equal(0, (next + phase) % 100);
    }
}
