using System.Diagnostics;

namespace IotActors.Emulator.Simulation;

/// <summary>
/// Publishes a <see cref="DeviceSimulator"/>'s messages (e.g. to <c>PlatformEmulator.Publish</c>)
/// at a steady rate for a bounded count or duration. Pacing is a token bucket refilled on a
/// <see cref="PeriodicTimer"/>: over any stretch of time it never publishes more than
/// rate × elapsed plus one small burst (<see cref="BurstSize"/>); when the publisher is slow
/// it falls behind instead of catching up with a flood.
/// </summary>
public sealed class TrafficPump
{
    private readonly DeviceSimulator _simulator;

    /// <param name="simulator">Source of the messages.</param>
    /// <param name="ratePerSecond">Messages per second; null takes <see cref="SimulatorOptions.RatePerSecond"/>, and if that is null too the pump publishes as fast as the publisher returns.</param>
    public TrafficPump(DeviceSimulator simulator, double? ratePerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var rate = ratePerSecond ?? simulator.Options.RatePerSecond;
        if (rate is { } r && !(r > 0 && double.IsFinite(r)))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), r, "The rate must be a positive finite number of messages per second, or null for unpaced.");
        }
        _simulator = simulator;
        RatePerSecond = rate;
        if (rate is { } paced)
        {
            // Refill often enough for a smooth stream, but no faster than 1 ms.
            TickInterval = TimeSpan.FromMilliseconds(Math.Clamp(1000 / paced, 1, 20));
            BurstSize = Math.Max(1, (int)Math.Ceiling(paced * TickInterval.TotalSeconds * 2));
        }
    }

    /// <summary>Messages per second, or null when unpaced.</summary>
    public double? RatePerSecond { get; }

    /// <summary>How often the bucket is refilled (1–20 ms). Zero when unpaced.</summary>
    public TimeSpan TickInterval { get; }

    /// <summary>Most messages published back to back after a pause: two ticks' worth, at least 1.</summary>
    public int BurstSize { get; }

    /// <summary>
    /// Publishes exactly <paramref name="count"/> messages, then completes with that count.
    /// Cancelling stops publishing at once and throws <see cref="OperationCanceledException"/>.
    /// An exception from <paramref name="publish"/> stops the pump and propagates.
    /// </summary>
    public Task<int> RunAsync(Action<EmulatedMessage> publish, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return PumpAsync(publish, count, cancellationToken);
    }

    /// <summary>
    /// Publishes for <paramref name="duration"/> (at most <paramref name="maxCount"/> messages),
    /// then completes with the number published. Cancelling throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<int> RunForAsync(Action<EmulatedMessage> publish, TimeSpan duration, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return await PumpAsync(publish, maxCount, cancellationToken, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency)).ConfigureAwait(false);
    }

    private async Task<int> PumpAsync(Action<EmulatedMessage> publish, int count, CancellationToken cancellationToken, long? deadline = null)
    {
        var published = 0;
        if (RatePerSecond is not { } rate)
        {
            while (published < count && !Expired(deadline))
            {
                cancellationToken.ThrowIfCancellationRequested();
                publish(_simulator.Next());
                published++;
                if (published % 1024 == 0)
                {
                    // Let the caller's other work (and cancellation) run during long unpaced runs.
                    await Task.Yield();
                }
            }
            return published;
        }

        using var timer = new PeriodicTimer(TickInterval);
        double tokens = 1; // the first message goes out at once
        var last = Stopwatch.GetTimestamp();
        while (true)
        {
            while (tokens >= 1 && published < count && !Expired(deadline))
            {
                cancellationToken.ThrowIfCancellationRequested();
                publish(_simulator.Next());
                published++;
                tokens -= 1;
            }
            if (published >= count || Expired(deadline))
            {
                return published;
            }
            if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                return published;
            }
            var now = Stopwatch.GetTimestamp();
            tokens = Math.Min(BurstSize, tokens + (rate * Stopwatch.GetElapsedTime(last, now).TotalSeconds));
            last = now;
        }
    }

    private static bool Expired(long? deadline) => deadline is { } d && Stopwatch.GetTimestamp() >= d;
}
