using Akka.Event;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.TestKit.Behaviors;

/// <summary>
/// The context of one <c>Apply</c> call in a plain unit test of a behavior, without actors: keeps what the behavior
/// emitted, in order, and discards its log lines. With <c>PlatformMessages.ToDeviceMessage</c>:
/// <code>
/// var message = PlatformMessages.ToDeviceMessage(PlatformMessages.PropertyPost(device, "m1", now, "Temperature", 21.5));
/// var context = new RecordingDeviceContext(message);
/// state = behavior.Apply(state, message, context);
/// Assert.Empty(context.Outputs);
/// </code>
/// </summary>
/// <remarks>Unlike the device actor's context, outputs are kept even when <c>Apply</c> throws: the test sees what was emitted before the throw.</remarks>
public sealed class RecordingDeviceContext(DeviceMessage message, DeviceId? device = null) : IDeviceContext
{
    /// <summary>What the behavior emitted, in emit order.</summary>
    public List<object> Outputs { get; } = [];

    /// <summary>The device given to the constructor, or else the one the message's topic names.</summary>
    public DeviceId Device { get; } = device
        ?? TopicParser.Parse(message.Topic).Topic?.Device
        ?? throw new ArgumentException($"Topic '{message.Topic}' names no device; pass the device explicitly.", nameof(device));

    public DeviceMessage Message { get; } = message;

    public ILoggingAdapter Log => NoLogger.Instance;

    public void Emit(object output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Outputs.Add(output);
    }
}
