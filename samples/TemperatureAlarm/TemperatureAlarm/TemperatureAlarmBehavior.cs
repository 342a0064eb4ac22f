using System.Text.Json;
using Akka.Event;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace TemperatureAlarm;

/// <summary>
/// A temperature alarm with hysteresis and an online-time counter, per device. Reads the <c>Temperature</c> property
/// of property reports (and of history reports: late readings by design) and the online/offline notices; everything
/// else is ignored.
/// </summary>
/// <remarks>
/// <para>The platform delivers at least once and in no order (spec §3.5). IotActors drops redeliveries by messageId,
/// but the order stays unknown: a redelivered or reordered reading can arrive after a newer one. So every decision here
/// uses the times inside the payloads, never arrival order, and the state (<see cref="AlarmState"/>) ends the same
/// whatever order the same messages came in. See <see cref="TemperatureWindow"/> and <see cref="OnlineClock"/>.</para>
/// <para>A body that cannot be read is logged (reason only, never the body) and skipped: retrying it cannot help, and
/// throwing would only delay the device's next message.</para>
/// </remarks>
public sealed class TemperatureAlarmBehavior : DeviceBehavior<AlarmState>
{
    /// <summary>The TSL property identifier read from property reports (case-sensitive, as in the TSL).</summary>
    public const string TemperatureProperty = "Temperature";

    /// <summary>With <see cref="AlarmThresholds.Default"/>: the constructor <c>WithDeviceBehavior&lt;TemperatureAlarmBehavior, AlarmState&gt;()</c> uses.</summary>
    public TemperatureAlarmBehavior()
        : this(AlarmThresholds.Default)
    {
    }

    /// <exception cref="ArgumentOutOfRangeException">A threshold is out of range.</exception>
    public TemperatureAlarmBehavior(AlarmThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        thresholds.Validate();
        Thresholds = thresholds;
    }

    public AlarmThresholds Thresholds { get; }

    public override AlarmState CreateInitialState(DeviceId device) => AlarmState.Initial;

    public override AlarmState Apply(AlarmState state, DeviceMessage message, IDeviceContext context) => message.Kind switch
    {
        MessageKind.PropertyPost or MessageKind.PropertyHistoryPost => ApplyProperties(state, message, context),
        MessageKind.Status => ApplyStatus(state, message, context),
        _ => state,
    };

    private AlarmState ApplyProperties(AlarmState state, DeviceMessage message, IDeviceContext context)
    {
        var post = PayloadReader.ReadPropertyPost(message.Body);
        if (!post.IsSuccess) return Skip(state, message, context, post.Reason);
        if (!post.Value.Items.TryGetValue(TemperatureProperty, out var item)) return state;
        if (item.Value.ValueKind != JsonValueKind.Number || !item.Value.TryGetDouble(out var celsius) || !double.IsFinite(celsius))
            return Skip(state, message, context, $"'{TemperatureProperty}' is not a number");

        var before = state.Temperature;
        var after = before.Add(new Reading(item.Time, celsius), Thresholds);
        if (after.Alarm != before.Alarm)
        {
            // Only the reading just added can flip the alarm; an older one that changes nothing emits nothing.
            context.Emit(after.Alarm
                ? new AlarmRaised(context.Device, celsius, item.Time)
                : new AlarmCleared(context.Device, celsius, item.Time));
        }
        return ReferenceEquals(after, before) ? state : state with { Temperature = after };
    }

    private static AlarmState ApplyStatus(AlarmState state, DeviceMessage message, IDeviceContext context)
    {
        var status = PayloadReader.ReadStatus(message.Body);
        if (!status.IsSuccess) return Skip(state, message, context, status.Reason);
        var notice = new StatusNotice(status.Value.UtcTime.ToUnixTimeMilliseconds(), status.Value.Status == DeviceStatus.Online);
        return state with { Presence = state.Presence.Add(notice) };
    }

    private static AlarmState Skip(AlarmState state, DeviceMessage message, IDeviceContext context, string reason)
    {
        context.Log.Warning("Temperature alarm {Device} skipped {Kind} message {MessageId}: {Reason}",
            context.Device, message.Kind, message.MessageId, reason);
        return state;
    }
}
