using Akka.Event;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Behaviors;

/// <summary>The <see cref="IDeviceContext"/> of one attempt to apply one message; outputs are held until the attempt succeeds.</summary>
internal sealed class DeviceContext(DeviceId device, DeviceMessage message, ILoggingAdapter log) : IDeviceContext
{
    private List<object>? _outputs;
    private bool _closed;

    public DeviceId Device { get; } = device;

    public DeviceMessage Message { get; } = message;

    public ILoggingAdapter Log { get; } = log;

    public void Emit(object output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_closed) throw new InvalidOperationException("Emit is only allowed while Apply runs.");
        (_outputs ??= []).Add(output);
    }

    /// <summary>Ends the attempt; returns what was emitted, in order.</summary>
    public IReadOnlyList<object> Close()
    {
        _closed = true;
        return _outputs ?? (IReadOnlyList<object>)[];
    }
}
