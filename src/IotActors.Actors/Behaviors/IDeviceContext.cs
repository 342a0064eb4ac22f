using Akka.Event;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Behaviors;

/// <summary>What a <see cref="DeviceBehavior{TState}"/> may use while applying one message.</summary>
public interface IDeviceContext
{
    /// <summary>The device whose state is being updated.</summary>
    DeviceId Device { get; }

    /// <summary>The message being applied.</summary>
    DeviceMessage Message { get; }

    /// <summary>
    /// The device actor's logger. Log identifiers and reasons, never whole bodies: lifecycle bodies
    /// carry the device secret.
    /// </summary>
    ILoggingAdapter Log { get; }

    /// <summary>
    /// Publishes <paramref name="output"/> as a <see cref="DeviceOutput"/> on the actor system's event
    /// stream — only after <see cref="DeviceBehavior{TState}.Apply"/> returns successfully, in emit order.
    /// Outputs of an attempt that throws are dropped, so a retried message emits once.
    /// Calling it after <c>Apply</c> returned throws <see cref="InvalidOperationException"/>.
    /// </summary>
    void Emit(object output);
}
