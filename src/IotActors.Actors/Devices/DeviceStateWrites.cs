namespace IotActors.Actors.Devices;

/// <summary>When a device actor writes its state to the journal and snapshot store (<see cref="DeviceOptions.StateWrites"/>).</summary>
public enum DeviceStateWrites
{
    /// <summary>
    /// The outcome of every message is a journal event written before the reply, so an accepted delivery is in the
    /// store. The only mode for a durable store (SQLite, PostgreSQL).
    /// </summary>
    EveryMessage,

    /// <summary>
    /// For the in-memory store only, where a write per message buys no durability: a device's first message is
    /// journaled (so the device is listed), later ones change the state in the actor and are answered at once, and
    /// the state is kept as a snapshot when the actor stops or restarts (passivation, hand-off, a crash). State
    /// survives passivation and restarts for the life of the process, as with <see cref="EveryMessage"/> and the
    /// in-memory journal, without a journal round trip per message.
    /// </summary>
    OnStop,
}
