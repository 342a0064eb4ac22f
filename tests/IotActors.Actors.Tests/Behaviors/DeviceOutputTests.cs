using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Actors.Tests.Devices;

namespace IotActors.Actors.Tests.Behaviors;

public class DeviceOutputTests() : TestKit(TestDevices.Config)
{
    [Theory]
    [InlineData(DeviceStateWrites.EveryMessage)]
    [InlineData(DeviceStateWrites.OnStop)] // the first message journaled, the others kept in the actor
    public void Outputs_are_published_after_a_successful_apply(DeviceStateWrites writes)
    {
        var outputs = Subscribe();
        var device = Device(new DeviceOptions { StateWrites = writes });

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 2));

        Assert.All(ReceiveN(2, TimeSpan.FromSeconds(5)).Cast<Processed>(), p => Assert.Equal(ProcessOutcome.Applied, p.Outcome));
        Assert.Equal(new DeviceOutput(TestDevices.Device, "m1", "out:m1"), outputs.ExpectMsg<DeviceOutput>());
        Assert.Equal(new DeviceOutput(TestDevices.Device, "m2", "out:m2"), outputs.ExpectMsg<DeviceOutput>());
    }

    [Fact]
    public void Outputs_of_failed_attempts_are_never_published()
    {
        var outputs = Subscribe();
        var device = Device(new DeviceOptions { MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(10) });

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1, body: "fail:1")); // emits twice, succeeds once
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 2, body: "fail"));   // emits twice, parked
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m3", 3));

        Assert.Equal([ProcessOutcome.Applied, ProcessOutcome.Parked, ProcessOutcome.Applied],
            ReceiveN(3, TimeSpan.FromSeconds(5)).Cast<Processed>().Select(p => p.Outcome));
        // Publication is in processing order, so anything from a failed attempt would show up before m3's.
        Assert.Equal("m1", outputs.ExpectMsg<DeviceOutput>().MessageId);
        Assert.Equal("m3", outputs.ExpectMsg<DeviceOutput>().MessageId);
        outputs.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Emit_after_apply_returned_is_refused()
    {
        var context = new DeviceContext(TestDevices.Device, TestDevices.Message("/a1Bc/dev01/user/x", "m1", "{}"), NoLogger.Instance);
        context.Emit("during");

        Assert.Equal(["during"], context.Close());
        Assert.Throws<InvalidOperationException>(() => context.Emit("after"));
    }

    private Akka.TestKit.TestProbe Subscribe()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(DeviceOutput));
        return probe;
    }

    private IActorRef Device(DeviceOptions options) =>
        Sys.ActorOf(DeviceActor<ImmutableList<string>>.Props(TestDevices.Device, new RecordingBehavior(), options));
}
