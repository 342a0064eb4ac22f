using System.Diagnostics.CodeAnalysis;

namespace IotActors.Platform.Messages;

/// <summary>Outcome of <see cref="TopicParser.Parse"/>: a <see cref="ParsedTopic"/> or an error with a reason.</summary>
public readonly struct TopicParseResult
{
    private TopicParseResult(ParsedTopic? topic, TopicParseError error, string? reason)
    {
        Topic = topic;
        Error = error;
        Reason = reason;
    }

    /// <summary>The parsed topic; set exactly when <see cref="IsSuccess"/>.</summary>
    public ParsedTopic? Topic { get; }

    /// <summary><see cref="TopicParseError.None"/> on success.</summary>
    public TopicParseError Error { get; }

    /// <summary>Human-readable cause, for the log line and the parked message; null on success.</summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Topic))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsSuccess => Topic is not null;

    public static TopicParseResult Success(ParsedTopic topic) => new(topic, TopicParseError.None, null);

    public static TopicParseResult Failure(TopicParseError error, string reason) => new(null, error, reason);

    public override string ToString() => IsSuccess ? Topic.ToString() : $"{Error}: {Reason}";
}
