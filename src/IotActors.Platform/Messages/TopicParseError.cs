namespace IotActors.Platform.Messages;

/// <summary>Why a topic could not be parsed; a topic that fails here cannot be routed to a device.</summary>
public enum TopicParseError
{
    None,

    /// <summary>Null or empty: the <c>topic</c> application property was missing.</summary>
    Empty,

    /// <summary>Forwarding topics always start with '/'.</summary>
    NoLeadingSlash,

    /// <summary>"//", a trailing '/', or "/" alone: some level is empty.</summary>
    EmptySegment,

    /// <summary>Fewer than three levels: not even <c>/pk/dn/something</c>.</summary>
    TooFewSegments,

    /// <summary>Starts with <c>/as/mqtt/status/</c> but is not exactly <c>/as/mqtt/status/pk/dn</c>.</summary>
    MalformedStatusTopic,
}
