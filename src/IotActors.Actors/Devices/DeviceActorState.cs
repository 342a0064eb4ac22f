namespace IotActors.Actors.Devices;

/// <summary>
/// Everything a device actor keeps: the behavior's state, the messageId window and the counters.
/// Immutable except for <see cref="Dedupe"/>, which the device actor owns and updates in place (it is large and
/// changes with every message); a snapshot copies it.
/// </summary>
/// <param name="User">The behavior's state.</param>
/// <param name="Dedupe">Recently applied or parked messageIds.</param>
/// <param name="MessagesApplied">Messages the behavior applied.</param>
/// <param name="DuplicatesDropped">Redeliveries dropped because their messageId was in <paramref name="Dedupe"/>.</param>
/// <param name="Parked">Messages parked after the behavior kept failing.</param>
/// <param name="LastSeen">Newest receive time (epoch ms) of an applied or parked message; duplicates do not count.</param>
public sealed record DeviceActorState<TState>(
    TState User,
    DedupeWindow Dedupe,
    long MessagesApplied,
    long DuplicatesDropped,
    long Parked,
    long LastSeen)
    where TState : notnull
{
    public static DeviceActorState<TState> Initial(TState user, int dedupeWindow) =>
        new(user, DedupeWindow.Empty(dedupeWindow), 0, 0, 0, 0);

    /// <summary>The behavior applied a message: new user state, <paramref name="messageId"/> remembered (in place).</summary>
    public DeviceActorState<TState> WithApplied(TState user, string messageId, long receivedAt)
    {
        Dedupe.Add(messageId);
        return this with
        {
            User = user,
            MessagesApplied = MessagesApplied + 1,
            LastSeen = Math.Max(LastSeen, receivedAt),
        };
    }

    /// <summary>A message was parked: <paramref name="messageId"/> remembered (in place), counted.</summary>
    public DeviceActorState<TState> WithParked(string messageId, long receivedAt)
    {
        Dedupe.Add(messageId);
        return this with
        {
            Parked = Parked + 1,
            LastSeen = Math.Max(LastSeen, receivedAt),
        };
    }

    public DeviceActorState<TState> WithDuplicate() => this with { DuplicatesDropped = DuplicatesDropped + 1 };
}
