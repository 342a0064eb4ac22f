using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Devices;

/// <remarks>
/// These tests check that no message is lost across passivation; that state survives it is in
/// <c>Persistence/DevicePassivationRecoveryTests</c>.
/// </remarks>
public class DevicePassivationTests() : TestKit(TestDevices.Config)
{
    private static readonly DeviceOptions Quick = new() { PassivateAfter = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public void The_router_stops_an_idle_device_with_the_stop_message_and_keeps_a_busy_one()
    {
        var entities = CreateTestProbe();
        var incarnation = 0;
        var router = Sys.ActorOf(DeviceRouter.Props(_ => ControlledEntity.Props(entities, ++incarnation), TimeSpan.FromSeconds(1)));
        var idle = new DeviceId("a1Bc", "idle");
        var busy = new DeviceId("a1Bc", "busy");

        router.Tell(TestDevices.Envelope(idle, "i1", 1));
        var idleEntity = entities.ExpectMsg<Got>().Entity;
        ExpectMsg<Processed>();

        // The busy device gets a command every ~50 ms (its window is 1 s) until the idle one has been told to stop.
        var sequence = 100L;
        var stopRequested = false;
        for (var i = 0; i < 200 && !stopRequested; i++)
        {
            router.Tell(TestDevices.Envelope(busy, $"b{i}", sequence++));
            ExpectMsg<Processed>();
            // The busy device's receipt is queued by now; the idle one's stop request may come before or after it.
            while (entities.ReceiveOne(TimeSpan.FromMilliseconds(50)) is { } message)
            {
                if (message is Got) continue;
                Assert.Equal(ControlledEntity.StopRequested, message);
                Assert.Equal(idleEntity, entities.LastSender);
                stopRequested = true;
            }
        }
        Assert.True(stopRequested, "the idle device was never told to stop");
        router.Tell(GetDeviceRouterStats.Instance);
        Assert.Equal(new DeviceRouterStats(2, 1, 0), ExpectMsg<DeviceRouterStats>()); // only the idle one passivates
    }

    [Fact]
    public void Idle_device_stops_and_a_later_message_is_processed_by_a_new_incarnation()
    {
        var router = Sys.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), Quick), Quick.PassivateAfter));

        router.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        ExpectMsg(new Processed(new DeliveryRef(TestDevices.ClientId, 1, 1), ProcessOutcome.Applied));
        var first = LastSender;
        Watch(first);

        ExpectTerminated(first, TimeSpan.FromSeconds(5));
        AwaitAssert(() =>
        {
            router.Tell(GetDeviceRouterStats.Instance);
            Assert.Equal(new DeviceRouterStats(0, 0, 0), ExpectMsg<DeviceRouterStats>());
        }, TimeSpan.FromSeconds(5));

        router.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 2));
        ExpectMsg(new Processed(new DeliveryRef(TestDevices.ClientId, 1, 2), ProcessOutcome.Applied));
        Assert.NotEqual(first, LastSender);
        router.Tell(GetDeviceRouterStats.Instance);
        Assert.Equal(1, ExpectMsg<DeviceRouterStats>().LiveDevices);
    }

    [Fact]
    public void Messages_arriving_while_a_device_passivates_are_buffered_and_delivered_to_the_next_incarnation()
    {
        var entities = CreateTestProbe();
        var incarnation = 0;
        var router = Sys.ActorOf(DeviceRouter.Props(_ => ControlledEntity.Props(entities, ++incarnation)));

        router.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        var got = entities.ExpectMsg<Got>();
        Assert.Equal(("m1", 1), (got.MessageId, got.Incarnation));
        ExpectMsg<Processed>();

        got.Entity.Tell(ControlledEntity.RequestPassivation);
        entities.ExpectMsg(ControlledEntity.StopRequested); // the entity holds off stopping

        router.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 2));
        router.Tell(TestDevices.Envelope(TestDevices.Device, "m3", 3));
        router.Tell(GetDeviceRouterStats.Instance);
        Assert.Equal(new DeviceRouterStats(1, 1, 2), ExpectMsg<DeviceRouterStats>());
        entities.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // not handed to the stopping incarnation

        got.Entity.Tell(PoisonPill.Instance);

        var second = entities.ExpectMsg<Got>();
        Assert.Equal(("m2", 2), (second.MessageId, second.Incarnation));
        var third = entities.ExpectMsg<Got>();
        Assert.Equal(("m3", 2), (third.MessageId, third.Incarnation));
        // Replies still reach the original sender.
        Assert.Equal([2L, 3L], ReceiveN(2).Cast<Processed>().Select(p => p.Delivery.Sequence));
        router.Tell(GetDeviceRouterStats.Instance);
        Assert.Equal(new DeviceRouterStats(1, 0, 0), ExpectMsg<DeviceRouterStats>());
    }

    [Fact]
    public void Passivation_that_nobody_interrupts_leaves_the_device_stopped_until_its_next_message()
    {
        var entities = CreateTestProbe();
        var incarnation = 0;
        var router = Sys.ActorOf(DeviceRouter.Props(_ => ControlledEntity.Props(entities, ++incarnation)));

        router.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        var got = entities.ExpectMsg<Got>();
        Watch(got.Entity);
        got.Entity.Tell(ControlledEntity.RequestPassivation);
        entities.ExpectMsg(ControlledEntity.StopRequested);
        got.Entity.Tell(PoisonPill.Instance);
        ExpectMsg<Processed>();
        ExpectTerminated(got.Entity);

        AwaitAssert(() =>
        {
            router.Tell(GetDeviceRouterStats.Instance);
            Assert.Equal(new DeviceRouterStats(0, 0, 0), ExpectMsg<DeviceRouterStats>());
        }, TimeSpan.FromSeconds(5));
        Assert.Equal(1, incarnation);
    }

    [Fact]
    public void No_message_is_lost_while_devices_keep_passivating_under_traffic()
    {
        const int devices = 20;
        const int rounds = 30;
        var applied = new ConcurrentDictionary<DeviceId, ConcurrentQueue<string>>();
        var incarnations = 0;
        var options = new DeviceOptions { PassivateAfter = TimeSpan.FromMilliseconds(1) };
        var router = Sys.ActorOf(DeviceRouter.Props(d =>
        {
            Interlocked.Increment(ref incarnations);
            return DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(onApplied: (device, id) => applied.GetOrAdd(device, _ => new()).Enqueue(id)), options);
        }, options.PassivateAfter));

        var stats = CreateTestProbe();
        var sequence = 0L;
        for (var round = 0; round < rounds; round++)
        {
            for (var d = 0; d < devices; d++)
                router.Tell(TestDevices.Envelope(new DeviceId("a1Bc", $"dev{d}"), $"dev{d}-m{round}", sequence++));
            if (round % 10 == 9)
            {
                // Let idle devices passivate before the next burst, so it meets stopped and stopping devices.
                AwaitAssert(() =>
                {
                    router.Tell(GetDeviceRouterStats.Instance, stats);
                    Assert.True(stats.ExpectMsg<DeviceRouterStats>().LiveDevices < devices);
                }, TimeSpan.FromSeconds(10));
            }
        }

        var replies = ReceiveN(devices * rounds, TimeSpan.FromSeconds(30)).Cast<Processed>().ToList();
        Assert.All(replies, r => Assert.Equal(ProcessOutcome.Applied, r.Outcome));
        Assert.Equal(Enumerable.Range(0, devices * rounds).Select(i => (long)i), replies.Select(r => r.Delivery.Sequence).Order());
        for (var d = 0; d < devices; d++)
            Assert.Equal(Enumerable.Range(0, rounds).Select(r => $"dev{d}-m{r}"), applied[new DeviceId("a1Bc", $"dev{d}")]);
        var count = Volatile.Read(ref incarnations);
        Assert.True(count > devices, $"expected passivations, got {count} incarnations for {devices} devices");
    }

    private sealed record Got(string MessageId, int Incarnation, IActorRef Entity);

    /// <summary>An entity whose passivation the test drives step by step.</summary>
    private sealed class ControlledEntity : ReceiveActor
    {
        public const string RequestPassivation = "request-passivation";
        public const string StopRequested = "stop-requested";
        private const string Stop = "stop";

        public static Props Props(IActorRef probe, int incarnation) =>
            Akka.Actor.Props.Create(() => new ControlledEntity(probe, incarnation));

        public ControlledEntity(IActorRef probe, int incarnation)
        {
            Receive<DeviceEnvelope>(e =>
            {
                probe.Tell(new Got(e.Message.MessageId, incarnation, Self));
                Sender.Tell(new Processed(e.Delivery, ProcessOutcome.Applied));
            });
            Receive<string>(s => s == RequestPassivation, _ => Context.Parent.Tell(new Passivate(Stop)));
            Receive<string>(s => s == Stop, _ => probe.Tell(StopRequested));
            Receive<StopDevice>(_ => probe.Tell(StopRequested));
        }
    }
}
