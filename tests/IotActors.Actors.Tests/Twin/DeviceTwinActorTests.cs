using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Twin;

public class DeviceTwinActorTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void Stale_status_and_property_values_delivered_late_do_not_overwrite_newer_ones()
    {
        var region = Sys.ActorOf(DeviceRouter.Props(DeviceBehaviorRegistration.Twin()));
        var device = TestDevices.Device;
        const string status = "/as/mqtt/status/a1Bc/dev01";
        const string property = "/a1Bc/dev01/thing/event/property/post";

        region.Tell(TestDevices.Envelope(device, status, "s2", 1,
            """{"status":"online","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:01:00.000Z","utcLastTime":"2024-03-01T02:00:59.000Z"}"""));
        region.Tell(TestDevices.Envelope(device, property, "p2", 2,
            """{"productKey":"a1Bc","deviceName":"dev01","items":{"Temperature":{"value":22.0,"time":2000}}}"""));
        region.Tell(TestDevices.Envelope(device, status, "s1", 3,
            """{"status":"offline","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05.000Z","utcLastTime":"2024-03-01T01:59:50.000Z"}"""));
        region.Tell(TestDevices.Envelope(device, property, "p1", 4,
            """{"productKey":"a1Bc","deviceName":"dev01","items":{"Temperature":{"value":21.0,"time":1000}}}"""));
        region.Tell(TestDevices.Envelope(device, property, "bad", 5, "not json"));
        region.Tell(TestDevices.Envelope(device, property, "p1", 6, "redelivered"));

        Assert.Equal(
            [ProcessOutcome.Applied, ProcessOutcome.Applied, ProcessOutcome.Applied, ProcessOutcome.Applied, ProcessOutcome.Applied, ProcessOutcome.Duplicate],
            ReceiveN(6).Cast<Processed>().Select(p => p.Outcome));

        region.Tell(new GetDeviceState(device));
        var reply = ExpectMsg<DeviceStateReply>();
        var twin = Assert.IsType<DeviceTwin>(reply.State);
        Assert.Equal(DeviceStatus.Online, twin.Status?.Status);
        Assert.Equal(new TwinProperty("22.0", 2000), twin.Properties["Temperature"]);
        Assert.Equal(1, twin.MalformedMessages);
        Assert.Equal("bad", twin.LastError?.MessageId);
        Assert.Equal((5L, 1L, 0L), (reply.MessagesApplied, reply.DuplicatesDropped, reply.Parked));
    }
}
