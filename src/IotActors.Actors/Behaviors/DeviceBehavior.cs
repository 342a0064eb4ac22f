using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Behaviors;

/// <summary>
/// Per-device logic written by the user: a state type and "given state and message, the new state".
/// Nothing here refers to AMQP, acknowledgements, routing or persistence.
/// </summary>
/// <remarks>
/// <para>Each device actor creates its own instance through the registration, so instance fields are
/// never shared between devices; still, keep the state in <typeparamref name="TState"/>: only that is
/// carried forward (and, once devices are durable, persisted and recovered).</para>
/// <para>The actor calls <see cref="Apply"/> for one message at a time, in arrival order, and never for a
/// messageId it has already applied. When <see cref="Apply"/> throws, the actor retries the same message
/// with the same input state after a backoff, then parks it; outputs emitted during a failed attempt are
/// discarded. So <see cref="Apply"/> must not mutate <c>state</c> in place and should route side effects
/// through <see cref="IDeviceContext.Emit"/>.</para>
/// <para>Make <typeparamref name="TState"/> an immutable record of plain values (strings, numbers,
/// immutable collections) so it can be serialized: no delegates, streams or <c>JsonElement</c>s.</para>
/// </remarks>
public abstract class DeviceBehavior<TState>
    where TState : notnull
{
    /// <summary>The state of a device that has never been seen (a device with a journal recovers its state instead).</summary>
    public abstract TState CreateInitialState(DeviceId device);

    /// <summary>
    /// The state after <paramref name="message"/>. Return <paramref name="state"/> itself when nothing
    /// changes. Throw only for failures worth retrying; input that will never be valid is better recorded
    /// in the state (retrying a malformed body cannot succeed).
    /// </summary>
    public abstract TState Apply(TState state, DeviceMessage message, IDeviceContext context);
}
