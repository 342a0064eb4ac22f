using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Tests.Devices;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>The keyed in-memory snapshot store, driven through Akka's snapshot-store protocol as persistent actors use it.</summary>
public class InMemorySnapshotStoreTests() : TestKit(TestDevices.Config)
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private IActorRef Store => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    [Fact]
    public void The_in_memory_configuration_uses_this_store()
    {
        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        Assert.Contains("iotactors-inmem", store.Path.ToString());
    }

    [Fact]
    public void Load_returns_the_newest_snapshot_within_the_criteria_and_nothing_for_an_unknown_id()
    {
        Save("p1", 3, "three");
        Save("p1", 7, "seven");
        Save("p2", 9, "other actor");

        Assert.Equal("seven", Load("p1", SnapshotSelectionCriteria.Latest)?.Snapshot);
        Assert.Equal("three", Load("p1", new SnapshotSelectionCriteria(6))?.Snapshot);
        Assert.Equal("seven", Load("p1", new SnapshotSelectionCriteria(7))?.Snapshot); // bounds are inclusive
        Assert.Null(Load("p1", new SnapshotSelectionCriteria(2)));
        Assert.Null(Load("p1", new SnapshotSelectionCriteria(long.MaxValue, DateTime.MaxValue, minSequenceNr: 8)));
        Assert.Null(Load("unknown", SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public void Load_honours_the_recovery_bound_of_the_actor()
    {
        Save("p1", 3, "three");
        Save("p1", 7, "seven");

        Store.Tell(new LoadSnapshot("p1", SnapshotSelectionCriteria.Latest, toSequenceNr: 5));
        Assert.Equal("three", ExpectMsg<LoadSnapshotResult>().Snapshot?.Snapshot);
    }

    [Fact]
    public void A_save_at_a_kept_sequence_number_replaces_that_snapshot()
    {
        Save("p1", 1, "first");
        Save("p1", 1, "second");

        Assert.Equal("second", Load("p1", SnapshotSelectionCriteria.Latest)?.Snapshot);
        Store.Tell(new DeleteSnapshot(new SnapshotMetadata("p1", 1, T0)));
        ExpectMsg<DeleteSnapshotSuccess>();
        Assert.Null(Load("p1", SnapshotSelectionCriteria.Latest)); // there was only one
    }

    [Fact]
    public void Delete_by_criteria_removes_the_matching_snapshots_only()
    {
        Save("p1", 2, "two");
        Save("p1", 4, "four");
        Save("p1", 6, "six");
        Save("p2", 2, "other actor");

        Store.Tell(new DeleteSnapshots("p1", new SnapshotSelectionCriteria(4)));
        ExpectMsg<DeleteSnapshotsSuccess>();

        Assert.Equal("six", Load("p1", SnapshotSelectionCriteria.Latest)?.Snapshot);
        Assert.Null(Load("p1", new SnapshotSelectionCriteria(5)));
        Assert.Equal("other actor", Load("p2", SnapshotSelectionCriteria.Latest)?.Snapshot);
    }

    [Fact]
    public void Delete_of_one_snapshot_keeps_the_others()
    {
        Save("p1", 2, "two");
        Save("p1", 4, "four");

        Store.Tell(new DeleteSnapshot(new SnapshotMetadata("p1", 4, T0)));
        ExpectMsg<DeleteSnapshotSuccess>();

        Assert.Equal("two", Load("p1", SnapshotSelectionCriteria.Latest)?.Snapshot);
    }

    [Fact]
    public void Many_actors_each_find_their_own_snapshot()
    {
        const int actors = 2_000;
        for (var i = 0; i < actors; i++)
            Store.Tell(new SaveSnapshot(new SnapshotMetadata($"device-{i}", 1, T0), $"state-{i}"), TestActor);
        ReceiveN(actors, TimeSpan.FromSeconds(30));
        for (var i = 0; i < actors; i += 97)
            Assert.Equal($"state-{i}", Load($"device-{i}", SnapshotSelectionCriteria.Latest)?.Snapshot);
    }

    private void Save(string persistenceId, long sequenceNr, string snapshot)
    {
        Store.Tell(new SaveSnapshot(new SnapshotMetadata(persistenceId, sequenceNr, T0), snapshot));
        Assert.Equal(sequenceNr, ExpectMsg<SaveSnapshotSuccess>().Metadata.SequenceNr);
    }

    private SelectedSnapshot? Load(string persistenceId, SnapshotSelectionCriteria criteria)
    {
        Store.Tell(new LoadSnapshot(persistenceId, criteria, long.MaxValue));
        return ExpectMsg<LoadSnapshotResult>().Snapshot;
    }
}
