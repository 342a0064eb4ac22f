using IotActors.TestKit.Behaviors;
using IotActors.TestKit.Platform;
using IotActors.Platform.Messages;

namespace TemperatureAlarm.Tests;

/// <summary>The online-time counter: status notices decided by their own <c>utcTime</c>, stale ones included in the total.</summary>
public sealed class OnlineTimeTests
{
    private static readonly DeviceId Device = new("a1Test", "sensor-1");
    private readonly TemperatureAlarmBehavior _behavior = new();
    private AlarmState _state = AlarmState.Initial;
    private long _messageIds;

    [Fact]
    public void Closed_sessions_add_up_by_the_notices_own_times()
    {
        Notice(online: true, at: 10_000);
        Assert.True(_state.Presence.Online);
        Assert.Equal(0, _state.Presence.OnlineMs); // the open session is not counted yet

        Notice(online: false, at: 11_000);
        Notice(online: true, at: 15_000);
        Notice(online: false, at: 15_500);

        Assert.False(_state.Presence.Online);
        Assert.Equal(1_500, _state.Presence.OnlineMs);
    }

    [Fact]
    public void A_stale_notice_does_not_change_the_status_but_still_closes_its_session()
    {
        Notice(online: true, at: 10_000);
        Notice(online: true, at: 15_000); // the offline at 11,000 is still on its way
        Assert.True(_state.Presence.Online);
        Assert.Null(_state.Presence.OnlineMs); // two onlines in a row: a notice is missing, no total yet

        Notice(online: false, at: 11_000); // stale: the device is back online since 15,000
        Assert.True(_state.Presence.Online);
        Assert.Equal(1_000, _state.Presence.OnlineMs);
    }

    [Fact]
    public void A_session_already_open_when_the_first_notice_arrives_is_not_counted()
    {
        Notice(online: false, at: 5_000); // subscribed while the device was online: its start is unknown
        Notice(online: true, at: 8_000);
        Notice(online: false, at: 9_000);

        Assert.Equal(1_000, _state.Presence.OnlineMs);
    }

    [Fact]
    public void The_clock_orders_notices_by_time_not_by_arrival()
    {
        var clock = AlarmState.Initial.Presence.Add(new StatusNotice(2_000, Online: false)).Add(new StatusNotice(1_000, Online: true));

        Assert.Equal(new StatusNotice(2_000, Online: false), clock.Last);
        Assert.Equal(1_000, clock.OnlineMs);
    }

    private void Notice(bool online, long at)
    {
        var message = PlatformMessages.ToDeviceMessage(PlatformMessages.Status(Device, (++_messageIds).ToString(System.Globalization.CultureInfo.InvariantCulture), online, at, at - 10));
        _state = _behavior.Apply(_state, message, new RecordingDeviceContext(message, Device));
    }
}
