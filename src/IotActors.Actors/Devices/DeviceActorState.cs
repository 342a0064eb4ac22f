namespace IotActors.Actors.Devices;

/// <summary>
/// Everything a device actor keeps: the behavior's state, the messageId window and the counters.
/// Immutable; the shape to persist as a snapshot once device state becomes durable.
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

    public DeviceActorState<TState> WithApplied(TState user, string messageId, long receivedAt) => this with
    {
        User = user,
        Dedupe = Dedupe.Add(messageId),
        MessagesApplied = MessagesApplied + 1,
        LastSeen = Math.Max(LastSeen, receivedAt),
    };

    public DeviceActorState<TState> WithParked(string messageId, long receivedAt) => this with
    {
        Dedupe = Dedupe.Add(messageId),
        Parked = Parked + 1,
        LastSeen = Math.Max(LastSeen, receivedAt),
    };

    public DeviceActorState<TState> WithDuplicate() => this with { DuplicatesDropped = DuplicatesDropped + 1 };
}
