using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

public class DeviceActorOrderTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void Messages_to_one_device_are_applied_and_answered_in_arrival_order()
    {
        var device = Sys.ActorOf(DeviceActor<ImmutableList<string>>.Props(TestDevices.Device, new RecordingBehavior(), new DeviceOptions()));
        var ids = Enumerable.Range(1, 1000).Select(i => $"m{i:D4}").ToList();

        for (var i = 0; i < ids.Count; i++) device.Tell(TestDevices.Envelope(TestDevices.Device, ids[i], i));

        var replies = ReceiveN(ids.Count, TimeSpan.FromSeconds(20)).Cast<Processed>().ToList();
        Assert.Equal(Enumerable.Range(0, ids.Count).Select(i => (long)i), replies.Select(r => r.Delivery.Sequence));
        Assert.All(replies, r => Assert.Equal(ProcessOutcome.Applied, r.Outcome));

        device.Tell(new GetDeviceState(TestDevices.Device));
        var state = ExpectMsg<DeviceStateReply>();
        Assert.Equal(ids, (ImmutableList<string>)state.State);
        Assert.Equal(1000, state.MessagesApplied);
    }

    [Fact]
    public void Interleaved_messages_for_a_thousand_devices_keep_per_device_order_through_the_router()
    {
        const int devices = 1000;
        const int perDevice = 5;
        var router = Sys.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), new DeviceOptions())));
        var random = new Random(7);
        var next = new int[devices];
        var sequence = 0L;
        // Random interleaving across devices; within a device the messageIds go up.
        var remaining = Enumerable.Range(0, devices).SelectMany(d => Enumerable.Repeat(d, perDevice)).OrderBy(_ => random.Next()).ToList();
        foreach (var d in remaining)
            router.Tell(TestDevices.Envelope(DeviceNumber(d), $"d{d}-m{next[d]++}", sequence++));

        var replies = ReceiveN(devices * perDevice, TimeSpan.FromSeconds(60)).Cast<Processed>().ToList();
        Assert.All(replies, r => Assert.Equal(ProcessOutcome.Applied, r.Outcome));

        for (var d = 0; d < devices; d++)
        {
            router.Tell(new GetDeviceState(DeviceNumber(d)));
            var state = ExpectMsg<DeviceStateReply>(TimeSpan.FromSeconds(10));
            Assert.Equal(DeviceNumber(d), state.Device);
            Assert.Equal(Enumerable.Range(0, perDevice).Select(i => $"d{d}-m{i}"), (ImmutableList<string>)state.State);
        }

        router.Tell(GetDeviceRouterStats.Instance);
        Assert.Equal(devices, ExpectMsg<DeviceRouterStats>().LiveDevices);
    }

    private static Platform.Messages.DeviceId DeviceNumber(int d) => new("a1Bc", $"dev{d:D4}");
}
