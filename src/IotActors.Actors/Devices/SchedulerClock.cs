using Akka.Actor;

namespace IotActors.Actors.Devices;

/// <summary>Starts the actor system's scheduler before a burst of actors asks it for timers.</summary>
/// <remarks>
/// Akka's default scheduler (<c>HashedWheelTimerScheduler</c>) starts its clock on the first timer: the thread asking
/// queues the clock's task on the thread pool and blocks until it has run, and so does every thread asking before then.
/// A device asks for a timer as it starts (Akka.Persistence's recovery timeout), so a region meeting a thousand new devices at once can block
/// every pool thread that way while the clock's task waits in the local queue of one of them; pool threads that join
/// later take the devices' queued work first, and the region stalls until the pool has grown past the burst (minutes;
/// seen here under CPU starvation). Starting the clock before the first device limits the wait to one thread, once.
/// </remarks>
internal static class SchedulerClock
{
    private static readonly Action Nothing = static () => { };

    public static void EnsureStarted(IScheduler scheduler) =>
        scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, Nothing);
}
