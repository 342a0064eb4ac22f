namespace IotActors.Emulator;

/// <summary>
/// Faults the emulator injects while it runs. Every property can be changed at any time from any thread;
/// a change takes effect for the next message, login or dispatch.
/// </summary>
public sealed class FaultSettings
{
    private readonly object _gate = new();
    private double _duplicateProbability;
    private double _reorderProbability;
    private TimeSpan _reorderMaxHold = TimeSpan.FromSeconds(1);
    private double _lostAckProbability;
    private bool _throttle;
    private bool _authenticationFailing;

    /// <summary>Raised after any change, so held-back work (e.g. a lifted throttle) resumes at once.</summary>
    internal event Action? Changed;

    /// <summary>
    /// Chance (0–1) that a consumer group receives a published message twice, same messageId, as two
    /// independent deliveries (at-least-once, spec §3.5). <b>Default:</b> 0.
    /// </summary>
    public double DuplicateProbability
    {
        get { lock (_gate) return _duplicateProbability; }
        set => Set(ref _duplicateProbability, CheckProbability(value, nameof(DuplicateProbability)));
    }

    /// <summary>
    /// Chance (0–1) that a published message is held back and pushed after the next message of its
    /// consumer group, swapping the two (spec §3.5: no ordering guarantee). <b>Default:</b> 0.
    /// </summary>
    public double ReorderProbability
    {
        get { lock (_gate) return _reorderProbability; }
        set => Set(ref _reorderProbability, CheckProbability(value, nameof(ReorderProbability)));
    }

    /// <summary>
    /// Chance (0–1) that an <c>accepted</c> disposition is lost on the platform's side: the delivery stays
    /// unacknowledged, times out after the ack timeout and is pushed again (spec §3.4) although the client
    /// processed it. Tests the consumer's dedupe. <b>Default:</b> 0.
    /// </summary>
    public double LostAckProbability
    {
        get { lock (_gate) return _lostAckProbability; }
        set => Set(ref _lostAckProbability, CheckProbability(value, nameof(LostAckProbability)));
    }

    /// <summary>A held-back message is released after this even if no next message comes (not scaled). <b>Default:</b> 1 s.</summary>
    public TimeSpan ReorderMaxHold
    {
        get { lock (_gate) return _reorderMaxHold; }
        set
        {
            if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), value, "FaultSettings.ReorderMaxHold must be positive.");
            Set(ref _reorderMaxHold, value);
        }
    }

    /// <summary>
    /// Platform-side throttling: nothing is pushed while true; published messages go to the stacked queue
    /// and are replayed (at the stacked rate) once it is false again. <b>Default:</b> false.
    /// </summary>
    public bool Throttle
    {
        get { lock (_gate) return _throttle; }
        set => Set(ref _throttle, value);
    }

    /// <summary>Every login is refused with SASL outcome auth while true. <b>Default:</b> false.</summary>
    public bool AuthenticationFailing
    {
        get { lock (_gate) return _authenticationFailing; }
        set => Set(ref _authenticationFailing, value);
    }

    private void Set<T>(ref T field, T value)
    {
        lock (_gate) field = value;
        Changed?.Invoke();
    }

    private static double CheckProbability(double value, string name)
    {
        if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(name, value, $"FaultSettings.{name} must be between 0 and 1.");
        return value;
    }
}
