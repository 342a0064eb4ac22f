using IotActors.TestKit.Behaviors;
using IotActors.TestKit.Platform;
using IotActors.Platform.Messages;

namespace TemperatureAlarm.Tests;

/// <summary>The alarm, one message at a time: plain unit tests of <see cref="TemperatureAlarmBehavior"/>, no actors.</summary>
public sealed class TemperatureAlarmBehaviorTests
{
    private static readonly DeviceId Device = new("a1Test", "sensor-1");
    private readonly TemperatureAlarmBehavior _behavior = new(new AlarmThresholds(High: 30.0, Low: 25.0, Window: 4));
    private readonly List<object> _outputs = [];
    private AlarmState _state = AlarmState.Initial;
    private long _messageIds;

    [Fact]
    public void Alarm_is_raised_above_high_and_cleared_only_below_low()
    {
        Read(24.0, time: 1_000);
        Assert.False(_state.Temperature.Alarm);

        Read(30.5, time: 2_000);
        Assert.True(_state.Temperature.Alarm);

        Read(27.0, time: 3_000); // inside the band: stays raised
        Assert.True(_state.Temperature.Alarm);

        Read(24.9, time: 4_000);
        Assert.False(_state.Temperature.Alarm);

        Read(29.9, time: 5_000); // inside the band: stays clear
        Assert.False(_state.Temperature.Alarm);

        Assert.Equal<object>(
            [new AlarmRaised(Device, 30.5, 2_000), new AlarmCleared(Device, 24.9, 4_000)],
            _outputs);
    }

    [Fact]
    public void Readings_exactly_on_a_threshold_change_nothing()
    {
        Read(30.0, time: 1_000);
        Assert.False(_state.Temperature.Alarm);
        Read(31.0, time: 2_000);
        Read(25.0, time: 3_000);
        Assert.True(_state.Temperature.Alarm);
    }

    [Fact]
    public void A_stale_reading_never_overrides_a_newer_one()
    {
        Read(31.0, time: 2_000);
        Read(20.0, time: 1_000); // older than what the device already reported: in time order it came first

        Assert.True(_state.Temperature.Alarm);
        Assert.Equal(new Reading(2_000, 31.0), _state.Temperature.Latest);
        Assert.Equal<object>([new AlarmRaised(Device, 31.0, 2_000)], _outputs);
    }

    [Fact]
    public void A_late_reading_decides_when_it_is_the_newest_outside_the_band()
    {
        Read(31.0, time: 1_000);
        Read(27.0, time: 3_000);
        Read(24.0, time: 2_000); // in time order: 31 raises, 24 clears, 27 keeps it clear

        Assert.False(_state.Temperature.Alarm);
        Assert.Equal(new Reading(3_000, 27.0), _state.Temperature.Latest);
        Assert.Equal<object>([new AlarmRaised(Device, 31.0, 1_000), new AlarmCleared(Device, 24.0, 2_000)], _outputs);
    }

    [Fact]
    public void Raises_are_counted_in_time_order_over_the_newest_readings()
    {
        Read(31.0, time: 1_000); // raise 1
        Read(24.0, time: 2_000);
        Read(32.0, time: 3_000); // raise 2
        Read(26.0, time: 4_000);
        Assert.Equal(2, _state.Temperature.RecentRaises);

        Read(33.0, time: 2_500); // between 24 and 32, a raise itself; 32 no longer raises — and 31@1000 leaves the window
        Assert.Equal(1, _state.Temperature.RecentRaises);
        Assert.Equal([new Reading(2_000, 24.0), new Reading(2_500, 33.0), new Reading(3_000, 32.0), new Reading(4_000, 26.0)],
            _state.Temperature.Recent);
        Assert.Equal(new Reading(1_000, 31.0), _state.Temperature.Settled);
        Assert.True(_state.Temperature.Alarm);
    }

    [Fact]
    public void A_reading_older_than_a_full_window_still_decides_where_the_window_begins()
    {
        Read(26.0, time: 2_000);
        Read(27.0, time: 3_000);
        Read(28.0, time: 4_000);
        Read(29.0, time: 5_000);
        Read(31.0, time: 1_000); // older than the whole window: the alarm was raised before it began, and stays

        Assert.True(_state.Temperature.Alarm);
        Assert.Equal(0, _state.Temperature.RecentRaises);
        Assert.Equal(new Reading(1_000, 31.0), _state.Temperature.Settled);
    }

    [Fact]
    public void The_same_reading_twice_changes_nothing()
    {
        Read(31.0, time: 1_000);
        var before = _state;
        Read(31.0, time: 1_000); // a device repeating its report under a new messageId

        Assert.Same(before, _state);
    }

    [Fact]
    public void Unreadable_bodies_and_other_kinds_change_nothing()
    {
        Read(31.0, time: 1_000);
        var before = _state;

        Apply(PlatformMessages.Raw("/a1Test/sensor-1/thing/event/property/post", NextMessageId(), """{"items":"not an object"}"""));
        Apply(PlatformMessages.Raw("/a1Test/sensor-1/thing/event/property/post", NextMessageId(),
            """{"productKey":"a1Test","deviceName":"sensor-1","items":{"Temperature":{"value":"hot","time":5}}}"""));
        Apply(PlatformMessages.Raw("/a1Test/sensor-1/thing/event/property/post", NextMessageId(),
            """{"productKey":"a1Test","deviceName":"sensor-1","items":{"Humidity":{"value":40,"time":5}}}"""));
        Apply(PlatformMessages.Raw("/a1Test/sensor-1/user/raw", NextMessageId(), "\u0001\u0002"));
        Apply(PlatformMessages.Raw("/as/mqtt/status/a1Test/sensor-1", NextMessageId(), """{"status":"sleeping"}"""));

        Assert.Same(before, _state);
        Assert.Single(_outputs);
    }

    [Fact]
    public void Thresholds_out_of_range_are_refused_when_the_behavior_is_created()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemperatureAlarmBehavior(new AlarmThresholds(High: 25, Low: 30, Window: 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemperatureAlarmBehavior(new AlarmThresholds(High: 30, Low: 25, Window: 0)));
    }

    private void Read(double celsius, long time) =>
        Apply(SampleMessages.Temperature(Device, NextMessageId(), gmtCreate: time + 5, celsius, itemTime: time));

    private void Apply(IotActors.Emulator.EmulatedMessage message)
    {
        var deviceMessage = PlatformMessages.ToDeviceMessage(message);
        var context = new RecordingDeviceContext(deviceMessage, Device);
        _state = _behavior.Apply(_state, deviceMessage, context);
        _outputs.AddRange(context.Outputs);
    }

    private string NextMessageId() => (++_messageIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
