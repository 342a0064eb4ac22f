using Akka.Event;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Twin;

public class DeviceTwinBehaviorTests
{
    private const string PropertyTopic = "/a1Bc/dev01/thing/event/property/post";
    private const string StatusTopic = "/as/mqtt/status/a1Bc/dev01";

    private readonly DeviceTwinBehavior _twin = new();
    private int _messageNumber;

    // Spec §5.2 shape.
    private static string PropertyPost(string temperature, long time) =>
        """
        {"iotId":"Zq7x","requestId":"42","productKey":"a1Bc","deviceName":"dev01","deviceType":"CustomCategory",
         "gmtCreate":1709258405120,"checkFailedData":{},
         "items":{"Temperature":{"value":TEMPERATURE,"time":TIME}}}
        """.Replace("TEMPERATURE", temperature).Replace("TIME", time.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // Spec §5.1 shape.
    private static string Status(string status, string utcTime, string? utcLastTime) =>
        $$"""
        {"status":"{{status}}","iotId":"Zq7x","productKey":"a1Bc","deviceName":"dev01",
         "utcTime":"{{utcTime}}"{{(utcLastTime is null ? "" : $",\"utcLastTime\":\"{utcLastTime}\"")}},"clientIp":"198.51.100.7"}
        """;

    [Fact]
    public void Newer_property_value_replaces_an_older_one()
    {
        var twin = Apply(Initial(), PropertyTopic, PropertyPost("21.5", 1000), PropertyPost("22.0", 2000));

        Assert.Equal(new TwinProperty("22.0", 2000), twin.Properties["Temperature"]);
    }

    [Fact]
    public void Stale_property_value_does_not_overwrite_a_newer_one()
    {
        var twin = Apply(Initial(), PropertyTopic, PropertyPost("22.0", 2000), PropertyPost("21.5", 1000));

        Assert.Equal(new TwinProperty("22.0", 2000), twin.Properties["Temperature"]);
    }

    [Fact]
    public void Property_with_the_same_time_is_replaced_by_the_later_arrival()
    {
        var twin = Apply(Initial(), PropertyTopic, PropertyPost("21.5", 2000), PropertyPost("21.6", 2000));

        Assert.Equal("21.6", twin.Properties["Temperature"].ValueJson);
    }

    [Fact]
    public void A_resent_post_leaves_the_twin_as_it_is()
    {
        var twin = Apply(Initial(), PropertyTopic, PropertyPost("21.5", 1000));

        Assert.Same(twin, Apply(twin, PropertyTopic, PropertyPost("21.5", 1000)));
        Assert.Same(twin, Apply(twin, PropertyTopic, PropertyPost("20.0", 999)));
    }

    [Fact]
    public void An_unchanged_value_keeps_its_string_when_its_time_moves()
    {
        var before = Apply(Initial(), PropertyTopic, PropertyPost("\"温度正常\"", 1000));

        var after = Apply(before, PropertyTopic, PropertyPost("\"温度正常\"", 2000));
        var changed = Apply(after, PropertyTopic, PropertyPost("\"温度过高\"", 3000));

        Assert.Equal(new TwinProperty("\"温度正常\"", 2000), after.Properties["Temperature"]);
        Assert.Same(before.Properties["Temperature"].ValueJson, after.Properties["Temperature"].ValueJson);
        Assert.Equal(new TwinProperty("\"温度过高\"", 3000), changed.Properties["Temperature"]);
    }

    [Fact]
    public void A_long_value_is_kept_whole()
    {
        var value = "\"" + new string('x', 3000) + "\"";

        var twin = Apply(Initial(), PropertyTopic, PropertyPost(value, 1000), PropertyPost(value, 2000));

        Assert.Equal(new TwinProperty(value, 2000), twin.Properties["Temperature"]);
    }

    [Fact]
    public void Properties_are_kept_in_identifier_order_whatever_order_posts_list_them()
    {
        const string body =
            """
            {"productKey":"a1Bc","deviceName":"dev01","gmtCreate":5,
             "items":{"b":{"value":1},"Z":{"value":2},"a":{"value":3},"_":{"value":4}}}
            """;
        const string later =
            """
            {"productKey":"a1Bc","deviceName":"dev01","gmtCreate":6,
             "items":{"c":{"value":5},"a":{"value":6},"A":{"value":7}}}
            """;

        var twin = Apply(Initial(), PropertyTopic, body, later);

        Assert.Equal(["A", "Z", "_", "a", "b", "c"], twin.Properties.Keys);
        Assert.Equal(["7", "2", "4", "6", "1", "5"], twin.Properties.Values.Select(p => p.ValueJson));
    }

    [Fact]
    public void Properties_are_tracked_per_identifier_and_keep_raw_json()
    {
        const string body =
            """
            {"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120,
             "items":{"Temperature":{"value":21.5,"time":1709258405100},
                      "Position":{"value":{"latitude":31.2,"longitude":121.4},"time":1709258405100},
                      "Mode":{"value":"eco"}}}
            """;
        var twin = Apply(Initial(), PropertyTopic, PropertyPost("20.0", 1709258409999), body);

        Assert.Equal(new TwinProperty("20.0", 1709258409999), twin.Properties["Temperature"]);
        Assert.Equal("""{"latitude":31.2,"longitude":121.4}""", twin.Properties["Position"].ValueJson);
        Assert.Equal(new TwinProperty("\"eco\"", 1709258405120), twin.Properties["Mode"]); // no item time: gmtCreate
    }


    [Fact]
    public void Twins_of_different_devices_share_their_identifiers_strings()
    {
        // Each message is read afresh; the twins keep one string per identifier between them.
        var first = Apply(Initial(), PropertyTopic, PropertyPost("21.5", 1000));
        var second = Apply(Initial(), PropertyTopic, PropertyPost("22.5", 1000));
        var batch = Apply(Initial(), "/a1Bc/dev01/thing/property/batch/post",
            """{"productKey":"a1Bc","deviceName":"dev01","payload":{"Temperature":[{"value":1,"time":5}]}}""");

        var a = first.Properties.Keys.Single(k => k == "Temperature");
        Assert.Same(a, second.Properties.Keys.Single(k => k == "Temperature"));
        Assert.Same(a, batch.Properties.Keys.Single(k => k == "Temperature"));
    }

    [Fact]
    public void A_repeated_identifier_counts_once_with_its_last_item_as_the_reader_reads_it()
    {
        // The one-pass scan leaves this body to the payload reader, whose item list keeps the last "T" only: folded in
        // one by one, the older second item would have lost to the first.
        const string body =
            """{"productKey":"a1Bc","deviceName":"dev01","items":{"T":{"value":1,"time":5},"T":{"value":2,"time":3},"U":{"value":[1, 2],"time":4}}}""";

        var twin = Apply(Initial(), PropertyTopic, body);

        Assert.Equal(new TwinProperty("2", 3), twin.Properties["T"]);
        Assert.Equal(new TwinProperty("[1, 2]", 4), twin.Properties["U"]);
        Assert.Equal(0, twin.MalformedMessages);
    }
    [Fact]
    public void Late_history_post_does_not_overwrite_live_values()
    {
        var twin = Apply(Initial(), PropertyTopic, PropertyPost("22.0", 2000));
        twin = Apply(twin, "/a1Bc/dev01/thing/event/property/history/post", PropertyPost("18.0", 500));

        Assert.Equal(new TwinProperty("22.0", 2000), twin.Properties["Temperature"]);
    }

    [Fact]
    public void Batch_post_keeps_the_newest_value_of_each_property()
    {
        const string batch =
            """
            {"productKey":"a1Bc","deviceName":"dev01","requestId":"7","gmtCreate":5000,
             "payload":{"Temperature":[{"value":30,"time":3000},{"value":25,"time":1500}],
                        "Humidity":[{"value":40,"time":1000},{"value":41,"time":1200}]}}
            """;
        var twin = Apply(Initial(), PropertyTopic, PropertyPost("22.0", 2000));
        twin = Apply(twin, "/a1Bc/dev01/thing/property/batch/post", batch);

        Assert.Equal(new TwinProperty("30", 3000), twin.Properties["Temperature"]);
        Assert.Equal(new TwinProperty("41", 1200), twin.Properties["Humidity"]);
    }

    [Fact]
    public void Stale_offline_of_an_earlier_session_does_not_overwrite_a_newer_online()
    {
        // Session 1 ends (offline at 02:00:05), session 2 starts (online at 02:01:00); the offline arrives last.
        var online = Status("online", "2024-03-01T02:01:00.000Z", "2024-03-01T02:00:59.500Z");
        var lateOffline = Status("offline", "2024-03-01T02:00:05.120Z", "2024-03-01T01:59:50.001Z");

        var twin = Apply(Initial(), StatusTopic, online, lateOffline);

        Assert.Equal(DeviceStatus.Online, twin.Status?.Status);
        Assert.Equal(DateTimeOffset.Parse("2024-03-01T02:01:00.000Z"), twin.Status?.Time);
        Assert.Equal(DateTimeOffset.Parse("2024-03-01T02:00:59.500Z"), twin.Status?.LastTime);
    }

    [Fact]
    public void Newer_offline_replaces_online()
    {
        var online = Status("online", "2024-03-01T02:01:00.000Z", "2024-03-01T02:00:59.500Z");
        var offline = Status("offline", "2024-03-01T02:09:00.000Z", "2024-03-01T02:08:30.000Z");

        var twin = Apply(Initial(), StatusTopic, online, offline);

        Assert.Equal(DeviceStatus.Offline, twin.Status?.Status);
    }

    [Fact]
    public void Session_order_decides_before_the_notice_time()
    {
        // Same session (same last time): the later notice time wins whatever the arrival order.
        var earlier = Status("online", "2024-03-01T02:01:00.000Z", "2024-03-01T02:00:59.000Z");
        var later = Status("offline", "2024-03-01T02:01:30.000Z", "2024-03-01T02:00:59.000Z");
        Assert.Equal(DeviceStatus.Offline, Apply(Initial(), StatusTopic, later, earlier).Status?.Status);

        // Newer session wins even when its notice time is not later.
        var newerSession = Status("online", "2024-03-01T02:01:00.000Z", "2024-03-01T02:01:00.000Z");
        var olderSession = Status("offline", "2024-03-01T02:05:00.000Z", "2024-03-01T02:00:00.000Z");
        Assert.Equal(DeviceStatus.Online, Apply(Initial(), StatusTopic, newerSession, olderSession).Status?.Status);
    }

    [Fact]
    public void Status_without_last_time_is_ordered_by_its_time()
    {
        var newer = Status("offline", "2024-03-01T03:00:00.000Z", null);
        var stale = Status("online", "2024-03-01T02:00:00.000Z", null);

        var twin = Apply(Initial(), StatusTopic, newer, stale);

        Assert.Equal(DeviceStatus.Offline, twin.Status?.Status);
        Assert.Null(twin.Status?.LastTime);
    }

    [Fact]
    public void Newest_event_per_identifier_is_kept_by_time()
    {
        static string Event(double temperature, long time) =>
            $$"""
            {"identifier":"Overheat","name":"Overheat alarm","type":"alert","iotId":"Zq7x","productKey":"a1Bc",
             "deviceName":"dev01","gmtCreate":1709258405120,"value":{"Temperature":{{temperature}}},"time":{{time}}}
            """;

        var twin = Apply(Initial(), "/a1Bc/dev01/thing/event/Overheat/post", Event(88.5, 2000), Event(80.5, 1000));

        Assert.Equal(new TwinEvent("alert", """{"Temperature":88.5}""", 2000), twin.Events["Overheat"]);
    }

    [Fact]
    public void Lifecycle_keeps_the_newest_action_by_message_create_time()
    {
        static string Lifecycle(string action, long time) =>
            $$"""{"action":"{{action}}","iotId":"Zq7x","productKey":"a1Bc","deviceName":"dev01","deviceSecret":"s3cr3t","messageCreateTime":{{time}}}""";

        var twin = Apply(Initial(), "/a1Bc/dev01/thing/lifecycle", Lifecycle("disable", 3000), Lifecycle("create", 1000));

        Assert.Equal(new TwinLifecycle(LifecycleAction.Disable, 3000), twin.Lifecycle);
        Assert.DoesNotContain("s3cr3t", twin.ToString());
    }

    [Theory]
    [InlineData(PropertyTopic, "{\"items\":")]
    [InlineData(PropertyTopic, "[1,2]")]
    [InlineData(StatusTopic, """{"status":"sleeping","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:00Z"}""")]
    [InlineData("/a1Bc/dev01/thing/lifecycle", """{"action":"explode","deviceSecret":"s3cr3t","productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""")]
    public void Malformed_body_is_recorded_without_changing_state_or_throwing(string topic, string body)
    {
        var before = Apply(Initial(), PropertyTopic, PropertyPost("21.5", 1000));

        var after = Apply(before, topic, body);

        Assert.Equal(1, after.MalformedMessages);
        Assert.Same(before.Properties, after.Properties);
        Assert.Equal((before.Status, before.Lifecycle), (after.Status, after.Lifecycle));
        Assert.NotNull(after.LastError);
        Assert.Equal(topic, after.LastError.Topic);
        Assert.DoesNotContain("s3cr3t", after.LastError.Reason);
    }

    [Fact]
    public void Binary_body_on_a_system_topic_is_malformed_not_a_crash()
    {
        var message = new DeviceMessage("m1", PropertyTopic, MessageKind.PropertyPost, null, null, 0, new byte[] { 0xFF, 0xFE, 0x00 });

        var twin = _twin.Apply(Initial(), message, new TestContext(message));

        Assert.Equal(1, twin.MalformedMessages);
        Assert.StartsWith(nameof(PayloadError.NotUtf8), twin.LastError?.Reason);
    }

    [Theory]
    [InlineData("/a1Bc/dev01/user/update", "\u0001binary")]
    [InlineData("/a1Bc/dev01/thing/downlink/reply/message", """{"code":200}""")]
    [InlineData("/a1Bc/dev01/something/else", "{}")]
    public void Topics_the_twin_does_not_model_are_counted_and_ignored(string topic, string body)
    {
        var before = Apply(Initial(), PropertyTopic, PropertyPost("21.5", 1000));

        var after = Apply(before, topic, body);

        Assert.Equal(before with { IgnoredMessages = 1 }, after);
    }

    private static DeviceTwin Initial() => DeviceTwin.Empty(TestDevices.Device);

    private DeviceTwin Apply(DeviceTwin twin, string topic, params string[] bodies)
    {
        foreach (var body in bodies)
        {
            var message = TestDevices.Message(topic, $"m{++_messageNumber}", body);
            twin = _twin.Apply(twin, message, new TestContext(message));
        }
        return twin;
    }

    private sealed class TestContext(DeviceMessage message) : IDeviceContext
    {
        public DeviceId Device => TestDevices.Device;

        public DeviceMessage Message => message;

        public ILoggingAdapter Log => NoLogger.Instance;

        public void Emit(object output) => throw new InvalidOperationException("the twin emits nothing");
    }
}
