using System.Collections.Frozen;
using System.Net.Sockets;
using System.Security.Authentication;

namespace IotActors.Platform.Errors;

/// <summary>
/// Turns how a connection ended — an AMQP error condition, a SASL outcome or an exception — into a
/// <see cref="CloseClass"/> for the reconnect policy (spec §4). Takes plain strings so it knows no
/// AMQP library; the receiver adapter passes <c>Error.Condition</c>/<c>Error.Description</c> or the exception.
/// </summary>
/// <remarks>
/// The platform's real condition strings are not public (spec §8); this table follows what a
/// standards-following server sends. Precedence: SASL failure, then the condition, then the exception.
/// <list type="table">
/// <listheader><term>Signal</term><description>Class — why</description></listheader>
/// <item><term>SASL outcome <c>auth</c> (AMQPNetLite: <c>amqp:unauthorized-access</c>, "Sasl negotiation failed with code Auth."), or <c>sys-perm</c></term>
/// <description>Authentication — wrong AccessKey/secret, consumer group, iotInstanceId, missing <c>iot:sub</c>, expired STS token.</description></item>
/// <item><term>SASL outcome <c>sys</c> / <c>sys-temp</c></term><description>Transient — the platform's authentication system failed, not our credentials.</description></item>
/// <item><term><c>amqp:unauthorized-access</c></term><description>Authentication.</description></item>
/// <item><term><c>amqp:not-allowed</c>, <c>amqp:not-implemented</c></term><description>FatalConfig — a second link or a sender link: client bug.</description></item>
/// <item><term><c>amqp:invalid-field</c></term><description>FatalConfig — e.g. idle-time-out outside 30–300 s.</description></item>
/// <item><term><c>amqp:decode-error</c>, <c>amqp:connection:framing-error</c>, <c>amqp:frame-size-too-small</c>, <c>amqp:illegal-state</c>, <c>amqp:session:*</c></term>
/// <description>FatalConfig — the platform cannot understand our frames: client or library bug.</description></item>
/// <item><term><c>amqp:not-found</c>, <c>amqp:link:message-size-exceeded</c></term><description>FatalConfig — something we name does not exist, or our limits are too small.</description></item>
/// <item><term><c>amqp:resource-limit-exceeded</c></term><description>Transient, back off for minutes — idle timeout, over 100 connects/min per group, too many clients.</description></item>
/// <item><term><c>amqp:connection:forced</c>, <c>amqp:link:detach-forced</c></term><description>Transient — platform release, restart or rebalance.</description></item>
/// <item><term><c>amqp:internal-error</c>, <c>amqp:resource-locked</c>, <c>amqp:resource-deleted</c>, redirects, <c>amqp:link:stolen</c>, <c>amqp:link:transfer-limit-exceeded</c></term><description>Transient.</description></item>
/// <item><term>any other condition</term><description>Transient — spec §4: everything not known to be fatal is retried with backoff.</description></item>
/// <item><term>no condition, no exception</term><description>Transient — I/O loss or a close without error.</description></item>
/// <item><term><see cref="AuthenticationException"/>, also when wrapped</term><description>FatalConfig — TLS certificate or protocol failure: host name, trusted root CA, clock.</description></item>
/// <item><term><see cref="ArgumentException"/></term><description>FatalConfig — a setting the AMQP library refused.</description></item>
/// <item><term><see cref="SocketException"/>, <see cref="IOException"/>, <see cref="TimeoutException"/>, <see cref="OperationCanceledException"/>, <see cref="ObjectDisposedException"/>, anything else</term>
/// <description>Transient.</description></item>
/// </list>
/// </remarks>
public static class CloseConditionClassifier
{
    private const string AuthenticationHint =
        "check AccessKey ID and secret, consumer group ID and iotInstanceId (empty for old public instances), " +
        "the RAM user's iot:sub permission, and refresh the STS token";

    private const string ProtocolBugHint = "the platform could not understand our frames: a client or AMQP library bug; do not retry the same way";
    private const string ReleaseHint = "platform release, restart or rebalance: normal operation, reconnect with backoff";

    // AMQPNetLite's text for a failed sasl-outcome; the code is its SaslCode name.
    private const string SaslDescriptionPrefix = "Sasl negotiation failed with code ";

    private const int MaxTextLength = 200;

    private static readonly FrozenDictionary<string, (CloseClass Class, string Hint)> Conditions =
        new Dictionary<string, (CloseClass, string)>(StringComparer.OrdinalIgnoreCase)
        {
            [AmqpConditions.UnauthorizedAccess] = (CloseClass.Authentication, AuthenticationHint),

            [AmqpConditions.NotAllowed] = (CloseClass.FatalConfig, "the platform allows exactly one receiver link per connection and no sender link: a client bug"),
            [AmqpConditions.NotImplemented] = (CloseClass.FatalConfig, "the platform does not support what we asked for (e.g. a sender link): a client bug"),
            [AmqpConditions.InvalidField] = (CloseClass.FatalConfig, "a field we sent was refused, e.g. idle-time-out outside 30–300 s: check Platform:IdleTimeout"),
            [AmqpConditions.DecodeError] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.ConnectionFramingError] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.FrameSizeTooSmall] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.IllegalState] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.SessionWindowViolation] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.SessionErrantLink] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.SessionHandleInUse] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.SessionUnattachedHandle] = (CloseClass.FatalConfig, ProtocolBugHint),
            [AmqpConditions.NotFound] = (CloseClass.FatalConfig, "something we named does not exist: check Platform:IotInstanceId and Platform:ConsumerGroupId"),
            [AmqpConditions.LinkMessageSizeExceeded] = (CloseClass.FatalConfig, "a message is larger than our link allows: raise the receiver's maximum message size"),

            [AmqpConditions.ResourceLimitExceeded] = (CloseClass.Transient,
                "idle timeout exceeded, over 100 connection attempts per minute for the consumer group, or too many clients in it: " +
                "back off for minutes, check heartbeats and the number of clients"),
            [AmqpConditions.ConnectionForced] = (CloseClass.Transient, ReleaseHint),
            [AmqpConditions.LinkDetachForced] = (CloseClass.Transient, ReleaseHint),
            [AmqpConditions.InternalError] = (CloseClass.Transient, "platform fault: reconnect with backoff"),
            [AmqpConditions.ResourceLocked] = (CloseClass.Transient, "reconnect with backoff"),
            [AmqpConditions.ResourceDeleted] = (CloseClass.Transient, "reconnect with backoff"),
            [AmqpConditions.ConnectionRedirect] = (CloseClass.Transient, "redirects are not followed: reconnecting to the configured host"),
            [AmqpConditions.LinkRedirect] = (CloseClass.Transient, "redirects are not followed: reconnecting to the configured host"),
            [AmqpConditions.LinkStolen] = (CloseClass.Transient, "another link took ours over; if it repeats, check that no two clients share a client ID"),
            [AmqpConditions.LinkTransferLimitExceeded] = (CloseClass.Transient, "reconnect with backoff"),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Classifies a close.</summary>
    /// <param name="condition">The AMQP error condition symbol, e.g. <c>amqp:connection:forced</c>; null when the peer gave none or the socket died.</param>
    /// <param name="description">The error's description, if any. Text from the peer: it is trimmed and cleaned before it reaches the reason.</param>
    /// <param name="saslFailure">True when the failure happened in the SASL exchange (even if the library reported it differently).</param>
    /// <param name="exception">The exception that ended the connection, if any; used when there is no condition.</param>
    public static CloseClassification Classify(string? condition, string? description = null, bool saslFailure = false, Exception? exception = null)
    {
        condition = string.IsNullOrWhiteSpace(condition) ? null : condition.Trim();
        var reason = Reason(condition, description);

        var isSasl = saslFailure
            || (description?.TrimStart().StartsWith(SaslDescriptionPrefix, StringComparison.OrdinalIgnoreCase) ?? false)
            || (condition?.Contains("sasl", StringComparison.OrdinalIgnoreCase) ?? false);
        if (isSasl) return Sasl(SaslCode(description), reason);

        if (condition is not null)
        {
            return Conditions.TryGetValue(condition, out var known)
                ? new CloseClassification(known.Class, reason, known.Hint)
                : new CloseClassification(CloseClass.Transient, reason, "unrecognised condition: reconnect with backoff");
        }

        if (exception is not null) return ClassifyException(exception);

        return new CloseClassification(CloseClass.Transient, reason, "network loss or a close without error: reconnect with backoff");
    }

    /// <summary>Classifies an exception thrown while connecting or receiving (no AMQP condition known).</summary>
    public static CloseClassification ClassifyException(Exception exception)
    {
        // The telling exception is often wrapped (IOException around SocketException, AggregateException
        // from tasks). A TLS failure anywhere in the chain decides, whatever wraps it: retrying cannot fix
        // a certificate. Otherwise the outermost recognised exception speaks.
        if (Chain(exception).OfType<AuthenticationException>().FirstOrDefault() is { } tls) return Tls(tls);
        foreach (var e in Chain(exception))
        {
            if (Known(e) is { } verdict) return verdict;
        }
        return new CloseClassification(CloseClass.Transient, Describe(exception), "unexpected failure: reconnect with backoff");
    }

    private static CloseClassification? Known(Exception e) => e switch
    {
        AuthenticationException tls => Tls(tls),
        SocketException s => new(CloseClass.Transient, Describe(e), SocketHint(s.SocketErrorCode)),
        TimeoutException or OperationCanceledException => new(CloseClass.Transient, Describe(e),
            "connect or handshake took too long: check the network and Platform:ConnectTimeout"),
        // AMQPNetLite throws ObjectDisposedException when the peer closes the socket mid-handshake.
        ObjectDisposedException => new(CloseClass.Transient, Describe(e),
            "the connection closed during the handshake; if it repeats, check credentials and Platform:Port"),
        IOException => new(CloseClass.Transient, Describe(e), "connection reset or closed by the network or the platform: reconnect with backoff"),
        ArgumentException => new(CloseClass.FatalConfig, Describe(e), "the AMQP library refused a setting: check Platform options"),
        _ => null,
    };

    private static CloseClassification Tls(AuthenticationException e) =>
        new(CloseClass.FatalConfig, "TLS handshake failed: " + Describe(e),
            "the server certificate is not trusted or does not match: check Platform:Host, Platform:TrustedRootCa and the system clock");

    /// <summary>The exception and its inner ones, outermost first (bounded, in case of a cycle).</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var e = exception;
        for (var depth = 0; e is not null && depth < 16; depth++)
        {
            yield return e;
            e = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : e.InnerException;
        }
    }

    private static string SocketHint(SocketError error) => error switch
    {
        SocketError.HostNotFound or SocketError.NoData => "the host name does not resolve: check Platform:Host",
        SocketError.ConnectionRefused => "nothing accepts connections there: check Platform:Host and Platform:Port (the platform uses 5671)",
        _ => "network error: reconnect with backoff",
    };

    private static CloseClassification Sasl(string? code, string reason) => code switch
    {
        "Sys" or "SysTemp" => new(CloseClass.Transient, reason, "the platform's authentication service failed, not our credentials: reconnect with backoff"),
        "SysPerm" => new(CloseClass.Authentication, reason, "the platform reports a lasting authentication error; if the credentials are right, ask the vendor"),
        _ => new(CloseClass.Authentication, reason, AuthenticationHint),
    };

    /// <summary>The SaslCode name in AMQPNetLite's description: in its sentence, or alone (its builds without TRACE).</summary>
    private static string? SaslCode(string? description)
    {
        if (description is null) return null;
        var text = description.Trim();
        if (text.StartsWith(SaslDescriptionPrefix, StringComparison.OrdinalIgnoreCase))
            text = text[SaslDescriptionPrefix.Length..].TrimEnd('.');
        return text switch
        {
            "Auth" or "Sys" or "SysPerm" or "SysTemp" => text,
            _ => null,
        };
    }

    private static string Reason(string? condition, string? description)
    {
        var text = Clean(description);
        return (condition, text) switch
        {
            (null, null) => "connection closed without an error condition",
            (null, _) => text,
            (_, null) => condition,
            _ => condition + ": " + text,
        };
    }

    private static string Describe(Exception e) => e.GetType().Name + (Clean(e.Message) is { } m ? ": " + m : "");

    /// <summary>Peer-supplied text goes into logs: one line, bounded length.</summary>
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var chars = text.Trim().Select(c => char.IsControl(c) ? ' ' : c);
        var line = string.Concat(chars);
        return line.Length <= MaxTextLength ? line : line[..MaxTextLength] + "…";
    }
}
