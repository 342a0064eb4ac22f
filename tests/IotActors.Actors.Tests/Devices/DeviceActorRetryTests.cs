using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

/// <summary>Retries run on virtual time: a retry happens exactly when the test advances the clock past its backoff.</summary>
public class DeviceActorRetryTests() : TestKit(TestDevices.VirtualTimeConfig)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public void Failing_message_is_retried_with_doubling_backoff_then_parked()
    {
        var attempts = CreateTestProbe();
        var parked = CreateTestProbe();
        Sys.EventStream.Subscribe(parked, typeof(ParkedMessage));
        var device = Device(new DeviceOptions { MaxRetries = 3, RetryBackoff = TimeSpan.FromMilliseconds(100) }, attempts);

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1, body: "fail"));
        Assert.Equal(1, attempts.ExpectMsg<Attempted>().Attempt);

        foreach (var (attempt, backoffMs) in new[] { (2, 100), (3, 200), (4, 400) })
        {
            AwaitFailureHandled(device);
            Clock.Advance(TimeSpan.FromMilliseconds(backoffMs - 1));
            attempts.ExpectNoMsg(Quiet);
            Clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempt, attempts.ExpectMsg<Attempted>().Attempt);
        }

        ExpectMsg(new Processed(new DeliveryRef(TestDevices.ClientId, 1, 1), ProcessOutcome.Parked));
        var message = parked.ExpectMsg<ParkedMessage>();
        Assert.Equal((TestDevices.Device, "m1", "/a1Bc/dev01/user/test"), (message.Device, message.MessageId, message.Topic));
        Assert.Contains("InvalidOperationException", message.Reason);
        Assert.Contains("after 4 attempts", message.Reason);
        Assert.Equal("fail", Encoding.UTF8.GetString(message.Body.Span));

        Clock.Advance(TimeSpan.FromSeconds(10));
        attempts.ExpectNoMsg(Quiet);
        var state = State(device);
        Assert.Equal((0L, 1L), (state.MessagesApplied, state.Parked));
    }

    [Fact]
    public void Later_messages_wait_while_a_message_is_retried()
    {
        var attempts = CreateTestProbe();
        var device = Device(new DeviceOptions { MaxRetries = 3, RetryBackoff = TimeSpan.FromMilliseconds(100) }, attempts);

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1, body: "fail:2"));
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 2));
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m3", 3));

        Assert.Equal(("m1", 1), Attempt(attempts));
        AwaitFailureHandled(device);
        attempts.ExpectNoMsg(Quiet); // m2 waits behind m1
        Assert.False(HasMessages); // and nothing was answered

        Clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(("m1", 2), Attempt(attempts));
        AwaitFailureHandled(device);
        attempts.ExpectNoMsg(Quiet);

        Clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(("m1", 3), Attempt(attempts));
        Assert.Equal(("m2", 1), Attempt(attempts));
        Assert.Equal(("m3", 1), Attempt(attempts));

        Assert.Equal([1L, 2L, 3L], ReceiveN(3).Cast<Processed>().Select(p => p.Delivery.Sequence));
        Assert.Equal(["m1", "m2", "m3"], (ImmutableList<string>)State(device).State);
    }

    [Fact]
    public void Next_message_flows_after_a_parked_one_and_the_parked_one_is_not_applied_on_redelivery()
    {
        var device = Device(new DeviceOptions { MaxRetries = 0 });

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1, body: "fail"));
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m2", 2));
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 3, body: "fail"));

        Assert.Equal([ProcessOutcome.Parked, ProcessOutcome.Applied, ProcessOutcome.Duplicate],
            ReceiveN(3).Cast<Processed>().Select(p => p.Outcome));
        var state = State(device);
        Assert.Equal(["m2"], (ImmutableList<string>)state.State);
        Assert.Equal((1L, 1L, 1L), (state.MessagesApplied, state.Parked, state.DuplicatesDropped));
    }

    [Fact]
    public void With_leave_failed_unaccepted_a_failing_message_is_not_parked_and_its_redelivery_is_retried()
    {
        var attempts = CreateTestProbe();
        var parked = CreateTestProbe();
        Sys.EventStream.Subscribe(parked, typeof(ParkedMessage));
        var device = Device(new DeviceOptions { MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(100), LeaveFailedUnaccepted = true }, attempts);

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1, body: "fail:2"));
        Assert.Equal(("m1", 1), Attempt(attempts));
        AwaitFailureHandled(device);
        Clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(("m1", 2), Attempt(attempts));

        var failed = ExpectMsg<ProcessingFailed>();
        Assert.Equal(new DeliveryRef(TestDevices.ClientId, 1, 1), failed.Delivery);
        Assert.Contains("after 2 attempts", failed.Reason);
        parked.ExpectNoMsg(Quiet);

        // The connection released it; the platform pushes it again later.
        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1, body: "fail:2", generation: 2));
        Assert.Equal(("m1", 3), Attempt(attempts));
        ExpectMsg(new Processed(new DeliveryRef(TestDevices.ClientId, 2, 1), ProcessOutcome.Applied));
        var state = State(device);
        Assert.Equal(["m1"], (ImmutableList<string>)state.State);
        Assert.Equal((1L, 0L), (state.MessagesApplied, state.Parked));
    }

    [Fact]
    public void Parked_lifecycle_message_does_not_carry_its_body()
    {
        var parked = CreateTestProbe();
        Sys.EventStream.Subscribe(parked, typeof(ParkedMessage));
        var device = Device(new DeviceOptions { MaxRetries = 0 });

        device.Tell(TestDevices.Envelope(TestDevices.Device, "/a1Bc/dev01/thing/lifecycle", "m1", 1, "fail"));

        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Parked);
        var message = parked.ExpectMsg<ParkedMessage>();
        Assert.Equal("/a1Bc/dev01/thing/lifecycle", message.Topic);
        Assert.True(message.Body.IsEmpty);
    }

    private IActorRef Device(DeviceOptions options, TestProbe? attempts = null) =>
        Sys.ActorOf(DeviceActor<ImmutableList<string>>.Props(TestDevices.Device, new RecordingBehavior(attempts), options));

    private static (string, int) Attempt(TestProbe attempts)
    {
        var a = attempts.ExpectMsg<Attempted>();
        return (a.MessageId, a.Attempt);
    }

    /// <summary>
    /// The device answers queries between attempts, and handles them in mailbox order: once it answers,
    /// the failed attempt before has scheduled its retry, so advancing the clock now is not too early.
    /// </summary>
    private void AwaitFailureHandled(IActorRef device) => State(device);

    private DeviceStateReply State(IActorRef device)
    {
        var probe = CreateTestProbe();
        device.Tell(new GetDeviceState(TestDevices.Device), probe);
        return probe.ExpectMsg<DeviceStateReply>();
    }
}
