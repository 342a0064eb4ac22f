using Akka.Event;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace TemperatureAlarm.Tests;

/// <summary>The context of one <c>Apply</c> call in a plain unit test: keeps what the behavior emitted.</summary>
internal sealed class RecordingContext(DeviceId device, DeviceMessage message) : IDeviceContext
{
    public List<object> Outputs { get; } = [];

    public DeviceId Device { get; } = device;

    public DeviceMessage Message { get; } = message;

    public ILoggingAdapter Log => NoLogger.Instance;

    public void Emit(object output) => Outputs.Add(output);
}
