using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Connections;
using IotActors.Actors.Tests.Devices;
using IotActors.Platform.Errors;

namespace IotActors.Actors.Tests.Connections;

/// <summary>Reconnect timing on virtual time: the scheduler only moves when the test advances it.</summary>
public sealed class SlowLaneTests() : TestKit(TestDevices.VirtualTimeConfig)
{
    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    [Fact]
    public async Task Wrong_secret_marks_the_connection_unhealthy_and_retries_only_after_the_slow_lane_delay()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        c.Start(Sys, c.Platform(["auth-1"], secret: "wrong-secret"), DeviceBehaviorRegistration.Twin(),
            EmulatedConsumer.FastConsumer with { AuthenticationFailureBackoff = TimeSpan.FromSeconds(60) });

        await AwaitAssertAsync(async () =>
        {
            var status = (await c.Consumer.Ask<ConnectionStatuses>(GetConnectionStatuses.Instance, TimeSpan.FromSeconds(5))).Connections.Single();
            Assert.Equal(ConnectionState.Unhealthy, status.State);
            Assert.Equal(CloseClass.Authentication, status.LastErrorClass);
            Assert.Contains("AccessKey", status.LastError);
            Assert.DoesNotContain("wrong-secret", status.LastError);
        }, TimeSpan.FromSeconds(20));
        Assert.Single(c.Attempts);

        // 50 s of virtual time is inside the slow lane (60 s ± 10 %): no new attempt, no hot loop.
        Scheduler.Advance(TimeSpan.FromSeconds(50));
        Assert.Single(c.Attempts);
        Assert.Equal(1, c.Emulator.GetStats(EmulatedConsumer.Group).AuthenticationFailures);

        Scheduler.Advance(TimeSpan.FromSeconds(20));
        await AwaitConditionAsync(() => Task.FromResult(c.Attempts.Count == 2), TimeSpan.FromSeconds(20));
        await AwaitAssertAsync(() => Assert.Equal(2, c.Emulator.GetStats(EmulatedConsumer.Group).AuthenticationFailures), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Connect_budget_holds_back_attempts_beyond_the_group_limit()
    {
        await using var c = await EmulatedConsumer.StartAsync();
        var clients = Enumerable.Range(1, 5).Select(i => $"budget-{i}").ToList();
        c.Start(Sys, c.Platform(clients), DeviceBehaviorRegistration.Twin(), EmulatedConsumer.FastConsumer with { ConnectAttemptsPerMinute = 3 });

        await AwaitAssertAsync(() => Assert.Equal(3, c.Emulator.GetStats(EmulatedConsumer.Group).AttachedReceivers), TimeSpan.FromSeconds(20));
        Assert.Equal(3, c.Attempts.Count);

        Scheduler.Advance(TimeSpan.FromSeconds(61));
        await AwaitAssertAsync(() => Assert.Equal(5, c.Emulator.GetStats(EmulatedConsumer.Group).AttachedReceivers), TimeSpan.FromSeconds(20));
        Assert.Equal(5, c.Attempts.Count);
    }
}
