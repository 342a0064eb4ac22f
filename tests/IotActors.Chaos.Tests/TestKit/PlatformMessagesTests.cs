using IotActors.Actors.Twin;
using IotActors.Platform.Messages;
using IotActors.TestKit.Behaviors;
using IotActors.TestKit.Platform;

namespace IotActors.Chaos.Tests.TestKit;

/// <summary>The builders' messages are read by the production topic parser and payload readers as the values they were given.</summary>
public sealed class PlatformMessagesTests
{
    private static readonly DeviceId Device = new("a1Build", "dev-01");
    private const long T = 1_709_258_405_000;

    private static TPayload Ok<TPayload>(PayloadResult<TPayload> result)
        where TPayload : class
    {
        Assert.True(result.IsSuccess, result.ToString());
        return result.Value!;
    }

    [Fact]
    public void Status_reads_back_with_its_times_session_and_address()
    {
        var message = PlatformMessages.Status(Device, "m1", online: true, utcTime: T, utcLastTime: T - 40, clientIp: "203.0.113.9");

        var topic = TopicParser.Parse(message.Topic).Topic!;
        Assert.Equal((MessageKind.Status, Device), (topic.Kind, topic.Device));
        var status = Ok(PayloadReader.ReadStatus(message.Body));
        Assert.Equal(DeviceStatus.Online, status.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T), status.UtcTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T - 40), status.UtcLastTime);
        Assert.Equal("203.0.113.9", status.ClientIp);
        Assert.Equal((Device.ProductKey, Device.DeviceName), (status.ProductKey, status.DeviceName));

        var offline = Ok(PayloadReader.ReadStatus(PlatformMessages.Status(Device, "m2", online: false, utcTime: T, clientIp: null).Body));
        Assert.Equal((DeviceStatus.Offline, (DateTimeOffset?)null, (string?)null), (offline.Status, offline.UtcLastTime, offline.ClientIp));
    }

    [Fact]
    public void Property_post_reads_back_every_item_with_its_value_and_time()
    {
        var message = PlatformMessages.PropertyPost(Device, "m3", gmtCreate: T,
        [
            new PropertyItem("Temperature", 21.5, T - 3),
            new PropertyItem("Mode", "eco"),
            new PropertyItem("Position", new { latitude = 31.2, longitude = 121.4 }, T - 1),
        ]);

        Assert.Equal(MessageKind.PropertyPost, TopicParser.Parse(message.Topic).Topic!.Kind);
        var post = Ok(PayloadReader.ReadPropertyPost(message.Body));
        Assert.Equal(Device, post.Device);
        Assert.Equal((21.5, T - 3), (post.Items["Temperature"].Value.GetDouble(), post.Items["Temperature"].Time));
        Assert.Equal(("eco", T), (post.Items["Mode"].Value.GetString(), post.Items["Mode"].Time));
        Assert.Equal(121.4, post.Items["Position"].Value.GetProperty("longitude").GetDouble());

        var late = PlatformMessages.PropertyPost(Device, "m4", T, "Temperature", 19.0, T - 60_000, history: true);
        Assert.Equal(MessageKind.PropertyHistoryPost, TopicParser.Parse(late.Topic).Topic!.Kind);
    }

    [Fact]
    public void Event_post_and_lifecycle_read_back()
    {
        var alarm = PlatformMessages.EventPost(Device, "m5", "overheat", "alert", new Dictionary<string, object> { ["level"] = 3 }, time: T);
        var topic = TopicParser.Parse(alarm.Topic).Topic!;
        Assert.Equal((MessageKind.EventPost, "overheat"), (topic.Kind, topic.Identifier));
        var e = Ok(PayloadReader.ReadEventPost(alarm.Body));
        Assert.Equal(("overheat", "alert", T, 3), (e.Identifier, e.Type, e.Time, e.Value.GetProperty("level").GetInt32()));

        var created = PlatformMessages.Lifecycle(Device, "m6", "create", T);
        Assert.Equal(MessageKind.Lifecycle, TopicParser.Parse(created.Topic).Topic!.Kind);
        var lifecycle = Ok(PayloadReader.ReadLifecycle(created.Body));
        Assert.Equal((LifecycleAction.Create, T), (lifecycle.Action, lifecycle.MessageCreateTime));
    }

    [Fact]
    public void Device_message_feeds_a_behavior_as_a_device_actor_would()
    {
        var message = PlatformMessages.ToDeviceMessage(PlatformMessages.PropertyPost(Device, "m7", T, "Temperature", 22.0), receivedAt: T + 5);
        Assert.Equal(("m7", MessageKind.PropertyPost, T + 5), (message.MessageId, message.Kind, message.ReceivedAt));

        var context = new RecordingDeviceContext(message);
        var twin = new DeviceTwinBehavior().Apply(DeviceTwin.Empty(Device), message, context);
        Assert.Equal(Device, context.Device);
        Assert.Empty(context.Outputs);
        Assert.Equal(("22", T), (twin.Properties["Temperature"].ValueJson, twin.Properties["Temperature"].Time));
        Assert.Equal(Device, PlatformMessages.DeviceOf(PlatformMessages.Raw("/a1Build/dev-01/user/anything", "m8", "x")));
        Assert.Throws<ArgumentException>(() => PlatformMessages.ToDeviceMessage(PlatformMessages.Raw("not a topic", "m9", "{}")));
    }

    [Fact]
    public void Recording_context_keeps_outputs_in_order_and_needs_a_device()
    {
        var custom = PlatformMessages.ToDeviceMessage(PlatformMessages.Raw("/a1Build/dev-01/user/cmd", "m10", "{}"));
        var context = new RecordingDeviceContext(custom);
        context.Emit("first");
        context.Emit(2);
        Assert.Equal(["first", 2], context.Outputs);
        Assert.Equal(Device, context.Device);

        var other = new DeviceId("a1Other", "d");
        Assert.Equal(other, new RecordingDeviceContext(custom, other).Device);
        var ota = PlatformMessages.ToDeviceMessage(PlatformMessages.Raw("/a1Build/pkg-1/job-1/ota/job/status", "m11", "{}"));
        Assert.Throws<ArgumentException>(() => new RecordingDeviceContext(ota));
    }
}
