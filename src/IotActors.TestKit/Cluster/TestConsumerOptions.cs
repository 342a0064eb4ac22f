using IotActors.Actors.Connections;
using IotActors.TestKit.Platform;

namespace IotActors.TestKit.Cluster;

/// <summary>Consumer settings scaled to an <see cref="EmulatedPlatform"/>'s shortened timers.</summary>
public static class TestConsumerOptions
{
    /// <summary>
    /// Fast reconnects (50 ms → 1 s), the full connect budget, a processing deadline at two thirds of the platform's
    /// scaled ack timeout (so a stalled device is released before the platform gives up on it, as in production),
    /// and a short drain on stop.
    /// </summary>
    public static ConsumerOptions For(EmulatedPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return new ConsumerOptions
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromSeconds(1),
            AuthenticationFailureBackoff = TimeSpan.FromSeconds(2),
            ConnectAttemptsPerMinute = 100,
            ProcessingDeadline = platform.AckTimeout * 2 / 3,
            DrainTimeout = TimeSpan.FromSeconds(5),
        };
    }
}
