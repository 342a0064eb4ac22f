using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Devices;

public class DeviceRouterTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void Each_device_gets_one_actor_even_with_unusual_names()
    {
        var router = Sys.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), new DeviceOptions())));
        DeviceId[] devices = [new("a1Bc", "dev.01"), new("a1Bc", "dev:01@x"), new("a1Bc", "$dev 01"), new("a1Bc", "Dev01"), new("a1Bc", "dev01"), new("pk2", "dev01"), new("a1Bc", "dev%2F01")];

        var sequence = 0L;
        foreach (var device in devices)
        {
            router.Tell(TestDevices.Envelope(device, "m1", sequence++));
            router.Tell(TestDevices.Envelope(device, "m1", sequence++));
        }

        var replies = ReceiveN(devices.Length * 2).Cast<Processed>().ToList();
        // The second m1 of each device is a duplicate only for that device: every device has its own actor.
        Assert.Equal(devices.Length, replies.Count(r => r.Outcome == ProcessOutcome.Applied));
        Assert.Equal(devices.Length, replies.Count(r => r.Outcome == ProcessOutcome.Duplicate));
        router.Tell(GetDeviceRouterStats.Instance);
        Assert.Equal(devices.Length, ExpectMsg<DeviceRouterStats>().LiveDevices);
        foreach (var device in devices)
        {
            router.Tell(new GetDeviceState(device));
            Assert.Equal(device, ExpectMsg<DeviceStateReply>().Device);
        }
    }

    [Fact]
    public void Passivate_from_an_actor_that_is_not_a_device_is_ignored()
    {
        var router = Sys.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), new DeviceOptions())));
        router.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        ExpectMsg<Processed>();

        router.Tell(new Passivate(PoisonPill.Instance));
        router.Tell(GetDeviceRouterStats.Instance);

        Assert.Equal(new DeviceRouterStats(1, 0, 0), ExpectMsg<DeviceRouterStats>());
    }
}
