using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

public class DeviceActorDedupeTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void Redelivered_message_is_not_applied_twice()
    {
        var device = Device(new DeviceOptions());

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 2));
        // The platform redelivers m1 after a reconnect: same messageId, new delivery.
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1, generation: 2));

        ExpectMsg(new Processed(new DeliveryRef(TestDevices.ClientId, 1, 1), ProcessOutcome.Applied));
        ExpectMsg(new Processed(new DeliveryRef(TestDevices.ClientId, 1, 2), ProcessOutcome.Applied));
        ExpectMsg(new Processed(new DeliveryRef(TestDevices.ClientId, 2, 1), ProcessOutcome.Duplicate));

        var state = State(device);
        Assert.Equal(["m1", "m2"], (ImmutableList<string>)state.State);
        Assert.Equal(2, state.MessagesApplied);
        Assert.Equal(1, state.DuplicatesDropped);
    }

    [Fact]
    public void Message_evicted_from_the_dedupe_window_is_applied_again()
    {
        var device = Device(new DeviceOptions { DedupeWindow = 2 });

        foreach (var (id, seq) in new[] { ("m1", 1L), ("m2", 2L), ("m3", 3L), ("m1", 4L), ("m3", 5L) })
            device.Tell(TestDevices.Envelope(TestDevices.Device, id, seq));

        var outcomes = ReceiveN(5).Cast<Processed>().Select(p => p.Outcome).ToList();
        // m1 was evicted by m3, so its late redelivery counts as new; m3 is still remembered.
        Assert.Equal([ProcessOutcome.Applied, ProcessOutcome.Applied, ProcessOutcome.Applied, ProcessOutcome.Applied, ProcessOutcome.Duplicate], outcomes);
        Assert.Equal(["m1", "m2", "m3", "m1"], (ImmutableList<string>)State(device).State);
    }

    [Fact]
    public void Last_seen_is_the_newest_receive_time_of_applied_messages_not_of_duplicates()
    {
        var device = Device(new DeviceOptions());

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 10));
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 20));
        ReceiveN(2);

        Assert.Equal(1_709_258_400_010, State(device).LastSeen);
    }

    private IActorRef Device(DeviceOptions options) =>
        Sys.ActorOf(DeviceActor<ImmutableList<string>>.Props(TestDevices.Device, new RecordingBehavior(), options));

    private DeviceStateReply State(IActorRef device)
    {
        device.Tell(new GetDeviceState(TestDevices.Device));
        return ExpectMsg<DeviceStateReply>();
    }
}
