using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Tests.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>
/// <see cref="DeviceStateWrites.OnStop"/> with the in-memory store: the first message is journaled, later ones only
/// change the actor, and the state is kept as a snapshot when the actor stops or restarts.
/// </summary>
public class DeviceStateWritesOnStopTests() : TestKit(TestDevices.Config)
{
    private static readonly DeviceOptions OnStop = new() { StateWrites = DeviceStateWrites.OnStop, PassivateAfter = TimeSpan.FromDays(1) };

    [Fact]
    public void Stopped_device_keeps_its_state_counters_and_messageId_window_in_the_next_incarnation()
    {
        var router = Sys.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), OnStop)));
        for (var i = 1; i <= 3; i++)
        {
            router.Tell(TestDevices.Envelope(TestDevices.Device, $"m{i}", i));
            ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        }
        router.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 4));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Duplicate);
        var first = LastSender;

        StopAndAwait(first);

        // A redelivery of a message applied before the stop is still recognised by the new incarnation.
        router.Tell(TestDevices.Envelope(TestDevices.Device, "m3", 5));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Duplicate);
        Assert.NotEqual(first, LastSender);
        router.Tell(TestDevices.Envelope(TestDevices.Device, "m4", 6));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);

        router.Tell(new GetDeviceState(TestDevices.Device));
        var reply = ExpectMsg<DeviceStateReply>();
        Assert.Equal(["m1", "m2", "m3", "m4"], Assert.IsType<ImmutableList<string>>(reply.State));
        Assert.Equal((4L, 2L), (reply.MessagesApplied, reply.DuplicatesDropped));
    }

    [Fact]
    public void Only_the_first_message_is_journaled_and_the_stop_leaves_one_snapshot_with_everything()
    {
        var device = new DeviceId("a1Bc", "journaled-once");
        var actor = Sys.ActorOf(DeviceActor<ImmutableList<string>>.Props(device, new RecordingBehavior(), OnStop));
        for (var i = 1; i <= 5; i++)
        {
            actor.Tell(TestDevices.Envelope(device, $"m{i}", i));
            ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        }
        StopAndAwait(actor);

        var persistenceId = DeviceActor<ImmutableList<string>>.PersistenceIdOf(device);
        var extension = Akka.Persistence.Persistence.Instance.Apply(Sys);
        extension.JournalFor(null).Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, persistenceId, TestActor));
        var replayed = ExpectMsg<ReplayedMessage>();
        Assert.Equal(1, replayed.Persistent.SequenceNr);
        Assert.Equal(1, ExpectMsg<RecoverySuccess>().HighestSequenceNr);

        // Queued at the snapshot store by the stopping actor, before this request.
        var loaded = LatestSnapshot(persistenceId)!;
        Assert.Equal(1, loaded.Metadata.SequenceNr);
        var snapshot = Assert.IsType<DeviceSnapshot>(loaded.Snapshot);
        Assert.Equal(5, snapshot.MessagesApplied);
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], Assert.IsType<ImmutableList<string>>(snapshot.State));
    }

    [Fact]
    public void Device_restarted_by_its_supervisor_recovers_the_state_it_had()
    {
        var device = new DeviceId("a1Bc", "restarted");
        var parent = Sys.ActorOf(Props.Create(() => new RestartingParent(
            DeviceActor<ImmutableList<string>>.Props(device, new RecordingBehavior(), OnStop))));
        for (var i = 1; i <= 3; i++)
        {
            parent.Tell(TestDevices.Envelope(device, $"m{i}", i));
            ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        }
        var child = LastSender;

        parent.Tell(RestartingParent.KillChild);
        parent.Tell(TestDevices.Envelope(device, "m4", 4));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        Assert.Equal(child, LastSender); // a restart keeps the actor reference

        parent.Tell(new GetDeviceState(device));
        var reply = ExpectMsg<DeviceStateReply>();
        Assert.Equal(["m1", "m2", "m3", "m4"], Assert.IsType<ImmutableList<string>>(reply.State));
        Assert.Equal(4L, reply.MessagesApplied);
        // The restart really happened: the actor recovered (from the snapshot written on the way down).
        Assert.Equal(1, RestartingParent.Restarts(parent, this));
    }

    [Fact]
    public void Device_that_only_answered_queries_writes_nothing_when_it_stops()
    {
        var device = new DeviceId("a1Bc", "queried-only");
        var actor = Sys.ActorOf(DeviceActor<ImmutableList<string>>.Props(device, new RecordingBehavior(), OnStop));
        actor.Tell(new GetDeviceState(device));
        ExpectMsg<DeviceStateReply>();
        StopAndAwait(actor);

        var persistenceId = DeviceActor<ImmutableList<string>>.PersistenceIdOf(device);
        Assert.Null(LatestSnapshot(persistenceId));
    }

    [Fact]
    public void Snapshot_at_the_first_event_is_kept_and_recovered_from()
    {
        // Every message journaled, a snapshot after each: the first snapshot (sequence number 1) must not delete itself.
        var options = new DeviceOptions { SnapshotEvery = 1, PassivateAfter = TimeSpan.FromDays(1) };
        var device = new DeviceId("a1Bc", "first-snapshot");
        var recovered = CreateTestProbe();
        Sys.EventStream.Subscribe(recovered, typeof(DeviceRecovered));
        var props = DeviceActor<ImmutableList<string>>.Props(device, new RecordingBehavior(), options);

        var actor = Sys.ActorOf(props);
        actor.Tell(TestDevices.Envelope(device, "m1", 1));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        recovered.ExpectMsg<DeviceRecovered>(r => r.Device == device);
        var persistenceId = DeviceActor<ImmutableList<string>>.PersistenceIdOf(device);
        AwaitAssert(() => Assert.Equal(1, LatestSnapshot(persistenceId)?.Metadata.SequenceNr), TimeSpan.FromSeconds(5));
        StopAndAwait(actor);

        Sys.ActorOf(props).Tell(new GetDeviceState(device));
        Assert.Equal(["m1"], Assert.IsType<ImmutableList<string>>(ExpectMsg<DeviceStateReply>().State));
        var again = recovered.ExpectMsg<DeviceRecovered>(r => r.Device == device);
        Assert.Equal((1L, 0L), (again.SnapshotSequenceNr, again.EventsReplayed));
    }

    private void StopAndAwait(IActorRef device)
    {
        Watch(device);
        device.Tell(StopDevice.Instance);
        ExpectTerminated(device);
    }

    /// <summary>The newest snapshot the snapshot store holds for <paramref name="persistenceId"/>, asked as recovery asks.</summary>
    private SelectedSnapshot? LatestSnapshot(string persistenceId)
    {
        Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null)
            .Tell(new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue));
        return ExpectMsg<LoadSnapshotResult>().Snapshot;
    }

    /// <summary>Restarts its one child on any failure (as a supervisor that does not stop); counts restarts.</summary>
    private sealed class RestartingParent : UntypedActor
    {
        public const string KillChild = "kill-child";
        private const string CountRestarts = "count-restarts";
        private readonly IActorRef _child;
        private int _restarts;

        public RestartingParent(Props child) => _child = Context.ActorOf(child);

        public static int Restarts(IActorRef parent, TestKit kit)
        {
            parent.Tell(CountRestarts, kit.TestActor);
            return kit.ExpectMsg<int>();
        }

        protected override SupervisorStrategy SupervisorStrategy() =>
            new OneForOneStrategy(_ =>
            {
                _restarts++;
                return Directive.Restart;
            });

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case KillChild:
                    _child.Tell(Kill.Instance);
                    break;
                case CountRestarts:
                    Sender.Tell(_restarts);
                    break;
                default:
                    _child.Forward(message);
                    break;
            }
        }
    }
}
