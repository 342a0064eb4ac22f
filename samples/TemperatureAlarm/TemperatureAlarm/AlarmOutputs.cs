using IotActors.Platform.Messages;

namespace TemperatureAlarm;

/// <summary>
/// Emitted when a reading raises the alarm; published as <c>DeviceOutput</c> on the actor system's event stream once the
/// message is applied. Outputs say what the device learned when it learned it: after a late reading they can come in
/// another order than the readings' times (the state is what converges).
/// </summary>
/// <param name="Device">The device.</param>
/// <param name="Celsius">The reading that raised it.</param>
/// <param name="Time">That reading's time (epoch ms).</param>
public sealed record AlarmRaised(DeviceId Device, double Celsius, long Time);

/// <summary>Emitted when a reading clears the alarm (see <see cref="AlarmRaised"/>).</summary>
public sealed record AlarmCleared(DeviceId Device, double Celsius, long Time);
