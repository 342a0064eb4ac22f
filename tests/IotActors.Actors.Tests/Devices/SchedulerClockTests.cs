using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

/// <summary>
/// The router starts the scheduler's clock before its first device (see <c>SchedulerClock</c>): otherwise a burst of
/// new devices, each asking for a timer as it starts (its recovery timeout), can block every thread-pool thread on the clock's start.
/// </summary>
public class SchedulerClockTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void A_new_router_has_started_the_schedulers_clock_before_it_routes_anything()
    {
        // A system of its own: the test kit's system may already have asked for a timer.
        using var fresh = ActorSystem.Create("fresh", "akka.loglevel = WARNING");
        Assert.False(ClockStarted(fresh), "precondition: Akka starts the clock on the first timer, not with the system");

        var router = fresh.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), new DeviceOptions())));
        router.Tell(GetDeviceRouterStats.Instance, TestActor);

        Assert.Equal(0, ExpectMsg<DeviceRouterStats>().LiveDevices);
        Assert.True(ClockStarted(fresh));
    }

    // The scheduler keeps no public state; its worker state (0 init, 1 started, 2 shut down) is the clock's.
    private static bool ClockStarted(ActorSystem system)
    {
        var scheduler = system.Scheduler;
        Assert.Equal("HashedWheelTimerScheduler", scheduler.GetType().Name);
        var state = scheduler.GetType().GetField("_workerState", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Akka's HashedWheelTimerScheduler no longer has _workerState");
        return (int)state.GetValue(scheduler)! == 1;
    }
}
