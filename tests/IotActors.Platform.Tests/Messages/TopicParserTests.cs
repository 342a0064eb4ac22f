using IotActors.Platform.Messages;

namespace IotActors.Platform.Tests.Messages;

public class TopicParserTests
{
    // topic, kind, productKey, deviceName, identifier, customPath
    public static TheoryData<string, MessageKind, string, string, string?, string?> DeviceTopics => new()
    {
        { "/as/mqtt/status/a1Bc/dev01", MessageKind.Status, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/event/property/post", MessageKind.PropertyPost, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/event/Overheat/post", MessageKind.EventPost, "a1Bc", "dev01", "Overheat", null },
        { "/a1Bc/dev01/thing/property/batch/post", MessageKind.PropertyBatchPost, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/event/batch/post", MessageKind.EventBatchPost, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/event/property/history/post", MessageKind.PropertyHistoryPost, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/event/Overheat/history/post", MessageKind.EventHistoryPost, "a1Bc", "dev01", "Overheat", null },
        { "/a1Bc/dev01/thing/downlink/reply/message", MessageKind.DownlinkReply, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/lifecycle", MessageKind.Lifecycle, "a1Bc", "dev01", null, null },
        { "/a1Bc/gw01/thing/topo/lifecycle", MessageKind.TopoLifecycle, "a1Bc", "gw01", null, null },
        { "/a1Bc/gw01/thing/list/found", MessageKind.ListFound, "a1Bc", "gw01", null, null },
        { "/a1Bc/dev01/ota/upgrade", MessageKind.OtaUpgrade, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/ota/progress/post", MessageKind.OtaProgress, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/ota/version/post", MessageKind.OtaVersion, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/deviceinfo/update", MessageKind.DeviceInfoUpdate, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/user/update", MessageKind.Custom, "a1Bc", "dev01", null, "update" },
        { "/a1Bc/dev01/user/a/b/c", MessageKind.Custom, "a1Bc", "dev01", null, "a/b/c" },
        { "/a1Bc/dev01/user/x/ota/job/status", MessageKind.Custom, "a1Bc", "dev01", null, "x/ota/job/status" },
        { "/a1Bc/dev01/user/1/2/3/4/5/6/7/8/9", MessageKind.Custom, "a1Bc", "dev01", null, "1/2/3/4/5/6/7/8/9" },
        // Unknown, but routable: the device prefix is kept.
        { "/a1Bc/dev01/thing/something/new", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/event/property/post/extra", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing/event/Overheat/history/post/a/b/c", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/thing", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/ota", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/ota/upgrade/extra", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/user", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/a1Bc/dev01/foo", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/sys/a1Bc/dev01/thing/event/property/post", MessageKind.Unknown, "a1Bc", "dev01", null, null },
        { "/as/mqtt/other/a1Bc/dev01", MessageKind.Unknown, "as", "mqtt", null, null },
        // Names are not validated: the platform is the authority on them.
        { "/产品/设备-1/thing/lifecycle", MessageKind.Lifecycle, "产品", "设备-1", null, null },
        { "/a1Bc/dev@01.x:y/thing/event/温度告警/post", MessageKind.EventPost, "a1Bc", "dev@01.x:y", "温度告警", null },
        { "/a1Bc/dev01/user/😀/🚀", MessageKind.Custom, "a1Bc", "dev01", null, "😀/🚀" },
    };

    [Theory]
    [MemberData(nameof(DeviceTopics))]
    public void Topic_gives_kind_device_identifier_and_custom_path(
        string topic, MessageKind kind, string productKey, string deviceName, string? identifier, string? customPath)
    {
        var result = TopicParser.Parse(topic);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(TopicParseError.None, result.Error);
        Assert.Null(result.Reason);
        var parsed = result.Topic;
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(productKey, parsed.ProductKey);
        Assert.Equal(new DeviceId(productKey, deviceName), parsed.Device);
        Assert.Equal(identifier, parsed.Identifier);
        Assert.Equal(customPath, parsed.CustomPath);
        Assert.Null(parsed.PackageId);
        Assert.Null(parsed.JobId);
    }

    [Fact]
    public void Status_topic_gives_device_and_kind()
    {
        var parsed = TopicParser.Parse("/as/mqtt/status/a1Bc/dev01").Topic;

        Assert.NotNull(parsed);
        Assert.Equal(MessageKind.Status, parsed.Kind);
        Assert.Equal(new DeviceId("a1Bc", "dev01"), parsed.Device);
    }

    [Fact]
    public void Ota_job_status_topic_gives_product_package_and_job_but_no_device()
    {
        var result = TopicParser.Parse("/a1Bc/pkg-42/job-7/ota/job/status");

        Assert.True(result.IsSuccess);
        Assert.Equal(new ParsedTopic(MessageKind.OtaJobStatus, "a1Bc", null, PackageId: "pkg-42", JobId: "job-7"), result.Topic);
    }

    [Theory]
    [InlineData("/a1Bc/dev01/thing/event/property/post", MessageKind.PropertyPost)]
    [InlineData("/a1Bc/dev01/thing/event/property/history/post", MessageKind.PropertyHistoryPost)]
    [InlineData("/a1Bc/dev01/thing/event/batch/post", MessageKind.EventBatchPost)]
    public void Reserved_event_identifiers_name_the_platform_family_not_an_event(string topic, MessageKind kind)
    {
        var parsed = TopicParser.Parse(topic).Topic;

        Assert.NotNull(parsed);
        Assert.Equal(kind, parsed.Kind);
        Assert.Null(parsed.Identifier);
    }

    [Theory]
    [InlineData(null, TopicParseError.Empty)]
    [InlineData("", TopicParseError.Empty)]
    [InlineData("abc", TopicParseError.NoLeadingSlash)]
    [InlineData("a1Bc/dev01/thing/lifecycle", TopicParseError.NoLeadingSlash)]
    [InlineData(" /a1Bc/dev01/thing/lifecycle", TopicParseError.NoLeadingSlash)]
    [InlineData("/", TopicParseError.EmptySegment)]
    [InlineData("//x", TopicParseError.EmptySegment)]
    [InlineData("/a1Bc//thing/lifecycle", TopicParseError.EmptySegment)]
    [InlineData("/a1Bc/dev01/thing/lifecycle/", TopicParseError.EmptySegment)]
    [InlineData("/a1Bc/dev01/user/a//b", TopicParseError.EmptySegment)]
    [InlineData("/a", TopicParseError.TooFewSegments)]
    [InlineData("/a/b", TopicParseError.TooFewSegments)]
    [InlineData("/as/mqtt", TopicParseError.TooFewSegments)]
    [InlineData("/as/mqtt/status", TopicParseError.MalformedStatusTopic)]
    [InlineData("/as/mqtt/status/a1Bc", TopicParseError.MalformedStatusTopic)]
    [InlineData("/as/mqtt/status/a1Bc/dev01/extra", TopicParseError.MalformedStatusTopic)]
    public void Malformed_topic_gives_typed_error_with_reason(string? topic, TopicParseError error)
    {
        var result = TopicParser.Parse(topic);

        Assert.False(result.IsSuccess);
        Assert.Null(result.Topic);
        Assert.Equal(error, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Very_long_custom_topic_keeps_the_whole_path()
    {
        var path = string.Join('/', Enumerable.Repeat("level", 20_000));

        var parsed = TopicParser.Parse("/a1Bc/dev01/user/" + path).Topic;

        Assert.NotNull(parsed);
        Assert.Equal(MessageKind.Custom, parsed.Kind);
        Assert.Equal(path, parsed.CustomPath);
    }

    [Fact]
    public void Very_long_single_level_topic_is_too_short_not_a_crash()
    {
        var result = TopicParser.Parse("/" + new string('x', 1_000_000));

        Assert.Equal(TopicParseError.TooFewSegments, result.Error);
    }

    [Fact]
    public void Arbitrary_strings_never_throw()
    {
        // Deterministic: the same strings on every run.
        var random = new Random(20240301);
        const string alphabet = "/ab\0\u00e9\ud83d\ude00 \t\r\n.#+$";
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            // A lone surrogate half is possible here on purpose.
            var result = TopicParser.Parse(new string(chars));
            Assert.True(result.IsSuccess || result.Reason is not null);
        }
    }
}
