using Akka.Actor;
using System.Collections.Immutable;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;
using IotActors.Actors.Tests.Devices;

namespace IotActors.Actors.Tests.Persistence;

public class DevicePassivationRecoveryTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void Passivated_device_keeps_its_state_and_messageId_window()
    {
        var quick = new DeviceOptions { PassivateAfter = TimeSpan.FromMilliseconds(200) };
        var router = Sys.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), quick), quick.PassivateAfter));

        router.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        var first = LastSender;
        Watch(first);
        ExpectTerminated(first, TimeSpan.FromSeconds(5));

        router.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 2));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Duplicate);
        Assert.NotEqual(first, LastSender);
        router.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 3));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);

        router.Tell(new GetDeviceState(TestDevices.Device));
        var reply = ExpectMsg<DeviceStateReply>();
        Assert.Equal(["m1", "m2"], Assert.IsType<ImmutableList<string>>(reply.State));
        Assert.Equal((2L, 1L), (reply.MessagesApplied, reply.DuplicatesDropped));
    }
}
