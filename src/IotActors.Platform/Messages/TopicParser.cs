namespace IotActors.Platform.Messages;

/// <summary>
/// Reads the forwarding topic of a pushed message (spec §5) into a <see cref="ParsedTopic"/>.
/// Runs once per message, so it slices the topic in place and allocates only the strings it
/// returns (productKey, deviceName, identifier…). Never throws.
/// </summary>
/// <remarks>
/// Rules, in order:
/// <list type="number">
/// <item><c>/as/mqtt/status/pk/dn</c> is <see cref="MessageKind.Status"/>; any other shape under
/// <c>/as/mqtt/status/</c> is an error rather than a guess, because reading it as <c>/pk/dn/…</c>
/// would invent a device called <c>as/mqtt</c>.</item>
/// <item><c>/pk/dn/user/…</c> is <see cref="MessageKind.Custom"/>, checked before the OTA job
/// shape so a custom topic ending in <c>ota/job/status</c> stays custom.</item>
/// <item><c>/pk/packageId/jobId/ota/job/status</c> is <see cref="MessageKind.OtaJobStatus"/> (no device).</item>
/// <item>The TSL, lifecycle and OTA families under <c>/pk/dn/…</c>. In
/// <c>thing/event/{identifier}/post</c> the identifier <c>property</c> means a property report and
/// <c>batch</c> a batched event report: those names are taken by the platform.</item>
/// <item>Anything else with at least <c>/pk/dn/x</c> is <see cref="MessageKind.Unknown"/> with its device,
/// so it can still be routed and parked there. A device-side <c>/sys/pk/dn/…</c> topic (which the
/// rules engine can republish) is also Unknown, with the device taken after <c>sys</c>: its body
/// is raw Alink JSON, not the converted shapes the payload readers expect.</item>
/// </list>
/// Characters inside a level are not validated: the platform is the authority on names, and
/// rejecting an unusual device name here would lose its messages.
/// </remarks>
public static class TopicParser
{
    // Longest shape we match has 7 levels (pk/dn/thing/event/id/history/post). Split into one more
    // than that: a topic with more levels ends up with its remainder in the last range, which is
    // enough to tell "too many levels" and to slice a custom path.
    private const int MaxLevels = 8;

    public static TopicParseResult Parse(string? topic)
    {
        if (string.IsNullOrEmpty(topic))
            return TopicParseResult.Failure(TopicParseError.Empty, "topic is missing or empty");
        if (topic[0] != '/')
            return TopicParseResult.Failure(TopicParseError.NoLeadingSlash, "topic does not start with '/'");
        if (topic.Length == 1 || topic[^1] == '/' || topic.Contains("//", StringComparison.Ordinal))
            return TopicParseResult.Failure(TopicParseError.EmptySegment, "topic has an empty level ('//' or a trailing '/')");

        Span<Range> ranges = stackalloc Range[MaxLevels];
        var levels = new Levels(topic, ranges);

        if (levels.Count >= 3 && levels.Is(0, "as") && levels.Is(1, "mqtt") && levels.Is(2, "status"))
        {
            return levels.Count == 5
                ? Device(MessageKind.Status, levels, 3)
                : TopicParseResult.Failure(TopicParseError.MalformedStatusTopic, "status topic must be /as/mqtt/status/{productKey}/{deviceName}");
        }

        if (levels.Count < 3)
            return TopicParseResult.Failure(TopicParseError.TooFewSegments, "topic needs at least /{productKey}/{deviceName}/{kind}");

        if (levels.Is(2, "user"))
        {
            return levels.Count >= 4
                ? Device(MessageKind.Custom, levels, 0, customPath: levels.From(3))
                : Device(MessageKind.Unknown, levels, 0);
        }

        if (levels.Count == 6 && levels.Is(3, "ota") && levels.Is(4, "job") && levels.Is(5, "status"))
        {
            var productKey = levels.Text(0);
            return TopicParseResult.Success(new ParsedTopic(MessageKind.OtaJobStatus, productKey, null,
                PackageId: levels.Text(1), JobId: levels.Text(2)));
        }

        if (levels.Is(0, "sys") && levels.Count >= 4)
            return Device(MessageKind.Unknown, levels, 1);

        return levels.Is(2, "thing") ? Thing(levels)
            : levels.Is(2, "ota") ? Ota(levels)
            : Device(MessageKind.Unknown, levels, 0);
    }

    // Levels 0 and 1 are productKey and deviceName; level 2 is "thing".
    private static TopicParseResult Thing(in Levels l)
    {
        switch (l.Count)
        {
            case 4 when l.Is(3, "lifecycle"):
                return Device(MessageKind.Lifecycle, l, 0);
            case 5 when l.Is(3, "topo") && l.Is(4, "lifecycle"):
                return Device(MessageKind.TopoLifecycle, l, 0);
            case 5 when l.Is(3, "list") && l.Is(4, "found"):
                return Device(MessageKind.ListFound, l, 0);
            case 5 when l.Is(3, "deviceinfo") && l.Is(4, "update"):
                return Device(MessageKind.DeviceInfoUpdate, l, 0);
            case 6 when l.Is(3, "property") && l.Is(4, "batch") && l.Is(5, "post"):
                return Device(MessageKind.PropertyBatchPost, l, 0);
            case 6 when l.Is(3, "downlink") && l.Is(4, "reply") && l.Is(5, "message"):
                return Device(MessageKind.DownlinkReply, l, 0);
            case 6 when l.Is(3, "event") && l.Is(5, "post"):
                return l.Is(4, "property") ? Device(MessageKind.PropertyPost, l, 0)
                    : l.Is(4, "batch") ? Device(MessageKind.EventBatchPost, l, 0)
                    : Device(MessageKind.EventPost, l, 0, identifier: l.Text(4));
            case 7 when l.Is(3, "event") && l.Is(5, "history") && l.Is(6, "post"):
                return l.Is(4, "property") ? Device(MessageKind.PropertyHistoryPost, l, 0)
                    : Device(MessageKind.EventHistoryPost, l, 0, identifier: l.Text(4));
            default:
                return Device(MessageKind.Unknown, l, 0);
        }
    }

    // Level 2 is "ota".
    private static TopicParseResult Ota(in Levels l) => l.Count switch
    {
        4 when l.Is(3, "upgrade") => Device(MessageKind.OtaUpgrade, l, 0),
        5 when l.Is(3, "progress") && l.Is(4, "post") => Device(MessageKind.OtaProgress, l, 0),
        5 when l.Is(3, "version") && l.Is(4, "post") => Device(MessageKind.OtaVersion, l, 0),
        _ => Device(MessageKind.Unknown, l, 0),
    };

    private static TopicParseResult Device(MessageKind kind, in Levels l, int productKeyLevel,
        string? identifier = null, string? customPath = null)
    {
        var device = new DeviceId(l.Text(productKeyLevel), l.Text(productKeyLevel + 1));
        return TopicParseResult.Success(new ParsedTopic(kind, device.ProductKey, device, identifier, customPath));
    }

    /// <summary>The '/'-separated levels of a topic, sliced without copying.</summary>
    private readonly ref struct Levels
    {
        private readonly string _topic;
        private readonly ReadOnlySpan<Range> _ranges;

        public Levels(string topic, Span<Range> ranges)
        {
            _topic = topic;
            // Skip the leading '/'; ranges are then relative to index 1 of the topic.
            var count = topic.AsSpan(1).Split(ranges, '/');
            _ranges = ranges[..count];
        }

        /// <summary>Exact number of levels, except that a topic with more than <see cref="MaxLevels"/> reports <see cref="MaxLevels"/>.</summary>
        public int Count => _ranges.Length;

        public bool Is(int level, string literal) => level < Count && Slice(level).SequenceEqual(literal);

        public string Text(int level) => Slice(level).ToString();

        /// <summary>This level and every one after it, slashes included.</summary>
        public string From(int level) => _topic[(1 + _ranges[level].Start.Value)..];

        private ReadOnlySpan<char> Slice(int level) => _topic.AsSpan(1)[_ranges[level]];
    }
}
