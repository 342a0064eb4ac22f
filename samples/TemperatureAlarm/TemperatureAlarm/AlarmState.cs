namespace TemperatureAlarm;

/// <summary>
/// What <see cref="TemperatureAlarmBehavior"/> keeps per device: an immutable record of plain values, persisted with
/// every applied message (System.Text.Json), and equal for two devices that were sent the same messages in any order.
/// </summary>
/// <param name="Temperature">The newest readings and the alarm they decide.</param>
/// <param name="Presence">Online/offline and the online time.</param>
public sealed record AlarmState(TemperatureWindow Temperature, OnlineClock Presence)
{
    public static AlarmState Initial { get; } = new(TemperatureWindow.Empty, OnlineClock.Empty);
}
