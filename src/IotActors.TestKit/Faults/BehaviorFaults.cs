using System.Collections.Concurrent;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.TestKit.Faults;

/// <summary>
/// Makes a device behavior throw on chosen messages, as a bug or a failing dependency would. Shared by every device
/// actor of a test (thread-safe); wire it in with <see cref="Invariants.LedgerBehavior{TState}"/>. The device actor retries
/// a failed message with backoff and parks it after <see cref="DeviceOptions.MaxRetries"/>: crash fewer attempts than
/// that to test recovery, more to test parking.
/// </summary>
public sealed class BehaviorFaults
{
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _chosen = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly Random _random;
    private Func<DeviceId, DeviceMessage, bool>? _predicate;
    private double _probability;
    private int _crashAttempts = 1;
    private long _injected;

    /// <param name="seed">Seed of the dice for <see cref="CrashProbability"/> (use the chaos schedule's seed).</param>
    public BehaviorFaults(int seed = 0) => _random = new Random(seed);

    /// <summary>Chance (0–1) that a message is chosen to crash; decided once per messageId. <b>Default:</b> 0.</summary>
    public double CrashProbability
    {
        get { lock (_gate) return _probability; }
        set
        {
            if (!(value is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(value), value, "CrashProbability must be between 0 and 1.");
            lock (_gate) _probability = value;
        }
    }

    /// <summary>How many attempts of a chosen message throw before it succeeds. <b>Default:</b> 1.</summary>
    public int CrashAttempts
    {
        get { lock (_gate) return _crashAttempts; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_gate) _crashAttempts = value;
        }
    }

    /// <summary>Exceptions thrown so far.</summary>
    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>Chooses messages to crash by <paramref name="predicate"/> (in addition to <see cref="CrashProbability"/>); null clears it.</summary>
    public void CrashOn(Func<DeviceId, DeviceMessage, bool>? predicate)
    {
        lock (_gate) _predicate = predicate;
    }

    /// <summary>Stops choosing new messages (those already chosen keep failing their remaining attempts).</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _predicate = null;
            _probability = 0;
        }
    }

    /// <summary>Called before the behavior runs; throws <see cref="InjectedFaultException"/> when this attempt must fail.</summary>
    public void BeforeApply(DeviceId device, DeviceMessage message)
    {
        int crashAttempts;
        bool chosen;
        lock (_gate)
        {
            crashAttempts = _crashAttempts;
            // Decided once per messageId: a redelivery of an applied message is not re-rolled into a crash.
            if (!_chosen.TryGetValue(message.MessageId, out chosen))
            {
                chosen = (_predicate?.Invoke(device, message) ?? false) || (_probability > 0 && _random.NextDouble() < _probability);
                _chosen[message.MessageId] = chosen;
            }
        }
        if (!chosen) return;
        var attempt = _attempts.AddOrUpdate(message.MessageId, 1, (_, n) => n + 1);
        if (attempt > crashAttempts) return;
        Interlocked.Increment(ref _injected);
        throw new InjectedFaultException($"Injected failure of {message.MessageId} on {device} (attempt {attempt} of {crashAttempts} failing)");
    }
}

/// <summary>The exception <see cref="BehaviorFaults"/> throws inside a behavior.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
