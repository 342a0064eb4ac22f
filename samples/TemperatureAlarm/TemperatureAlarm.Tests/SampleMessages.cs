using IotActors.Emulator;
using IotActors.Platform.Messages;
using IotActors.TestKit.Platform;

namespace TemperatureAlarm.Tests;

/// <summary>The sample's one message of its own, built with the TestKit's <see cref="PlatformMessages"/>.</summary>
internal static class SampleMessages
{
    /// <summary>A property post (or, for a reading sent late on purpose, a history post) with one <c>Temperature</c> item.</summary>
    public static EmulatedMessage Temperature(DeviceId device, string messageId, long gmtCreate, double celsius, long itemTime, bool history = false) =>
        PlatformMessages.PropertyPost(device, messageId, gmtCreate, TemperatureAlarmBehavior.TemperatureProperty, celsius, itemTime, history);
}
