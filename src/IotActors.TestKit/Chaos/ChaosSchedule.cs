using System.Collections.Immutable;
using System.Diagnostics;

namespace IotActors.TestKit.Chaos;

/// <summary>
/// Mixes faults at random — from one seed, printed first, so any failing run replays
/// (<c>IOTACTORS_CHAOS_SEED=&lt;seed&gt;</c>). Each step picks a fault by weight, injects it, holds it for a random
/// time, heals it and pauses; the run ends after <c>maxFaults</c> faults or <c>maxDuration</c>, whichever comes first.
/// </summary>
/// <example>
/// <code>
/// var chaos = new ChaosSchedule(output.WriteLine)
///     .Add(new ChaosFault("network-reset", _ => Task.FromResult($"{proxy.ResetAll()} connection(s)")))
///     .Add(new ChaosFault("throttle", _ => { platform.Faults.Throttle = true; return Task.FromResult(""); },
///                         () => { platform.Faults.Throttle = false; return Task.CompletedTask; }));
/// var report = await chaos.RunAsync(maxFaults: 20, maxDuration: TimeSpan.FromSeconds(30));
/// </code>
/// </example>
public sealed class ChaosSchedule
{
    private readonly List<ChaosFault> _faults = [];
    private readonly Action<string> _log;
    private TimeSpan _minHold = TimeSpan.FromMilliseconds(200);
    private TimeSpan _maxHold = TimeSpan.FromSeconds(1);
    private TimeSpan _minPause = TimeSpan.FromMilliseconds(200);
    private TimeSpan _maxPause = TimeSpan.FromSeconds(1);

    /// <param name="log">Where the seed and each fault are printed (e.g. <c>ITestOutputHelper.WriteLine</c>).</param>
    /// <param name="seed">Fixed seed; default <see cref="ChaosSeed.Resolve"/> (environment, else random).</param>
    public ChaosSchedule(Action<string> log, int? seed = null)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        Seed = ChaosSeed.Resolve(seed);
        Random = new Random(Seed);
        _log($"chaos seed {Seed} (replay with {ChaosSeed.EnvironmentVariable}={Seed})");
    }

    public int Seed { get; }

    /// <summary>The schedule's seeded random source; derive other seeded choices of the test from it to keep one seed.</summary>
    public Random Random { get; }

    public ChaosSchedule Add(ChaosFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Weight, 1);
        _faults.Add(fault);
        return this;
    }

    /// <summary>How long a fault stays on before it is healed. <b>Default:</b> 200 ms – 1 s.</summary>
    public ChaosSchedule HoldFor(TimeSpan min, TimeSpan max)
    {
        CheckRange(min, max);
        (_minHold, _maxHold) = (min, max);
        return this;
    }

    /// <summary>Quiet time between faults. <b>Default:</b> 200 ms – 1 s.</summary>
    public ChaosSchedule PauseFor(TimeSpan min, TimeSpan max)
    {
        CheckRange(min, max);
        (_minPause, _maxPause) = (min, max);
        return this;
    }

    /// <summary>Runs until <paramref name="maxFaults"/> faults were injected or <paramref name="maxDuration"/> passed; always heals the last fault.</summary>
    public async Task<ChaosReport> RunAsync(int maxFaults, TimeSpan maxDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaults, 1);
        if (_faults.Count == 0) throw new InvalidOperationException("Add at least one fault before running the schedule.");
        var events = ImmutableList.CreateBuilder<ChaosEvent>();
        var clock = Stopwatch.StartNew();
        var totalWeight = _faults.Sum(f => f.Weight);
        while (events.Count < maxFaults && clock.Elapsed < maxDuration && !cancellationToken.IsCancellationRequested)
        {
            var fault = Pick(totalWeight);
            var hold = Between(_minHold, _maxHold);
            var pause = Between(_minPause, _maxPause);
            var at = clock.Elapsed;
            var detail = await fault.Inject(Random).ConfigureAwait(false);
            events.Add(new ChaosEvent(at, fault.Kind, detail));
            _log($"[chaos {at.TotalSeconds,6:0.0}s] {fault.Kind} {detail}");
            try
            {
                // Pacing of the fault itself (how long the network stays down), not synchronisation of the test.
                await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (fault.Heal is { } heal) await heal().ConfigureAwait(false);
            }
            if (events.Count < maxFaults) await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
        var report = new ChaosReport(Seed, events.ToImmutable(), clock.Elapsed);
        _log(report.ToString());
        return report;
    }

    private ChaosFault Pick(int totalWeight)
    {
        var roll = Random.Next(totalWeight);
        foreach (var fault in _faults)
        {
            if (roll < fault.Weight) return fault;
            roll -= fault.Weight;
        }
        return _faults[^1];
    }

    private TimeSpan Between(TimeSpan min, TimeSpan max) => min + TimeSpan.FromTicks((long)(Random.NextDouble() * (max - min).Ticks));

    private static void CheckRange(TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
    }
}
