namespace IotActors.Emulator.Delivery;

/// <summary>
/// One transfer waiting for its disposition. It ends exactly once: by a disposition or by the ack
/// timeout, whichever comes first (<see cref="Done"/>); whatever comes second is ignored, so a late
/// accept of a message that was already requeued is harmless. Mutated only under the group's lock.
/// </summary>
internal sealed class InFlightDelivery(StoredMessage message, GroupMessageSource source, TimeSpan deadline, bool fromStacked)
{
    public StoredMessage Message { get; } = message;

    public GroupMessageSource Source { get; } = source;

    public TimeSpan Deadline { get; } = deadline;

    /// <summary>Whether this transfer was a replay from the stacked queue (a second failure then waits the retry interval).</summary>
    public bool FromStacked { get; } = fromStacked;

    public bool Done { get; set; }
}
