using Akka.Actor;
using IotActors.Platform.Amqp;
using IotActors.Platform.Errors;

namespace IotActors.Actors.Connections;

/// <summary>Marker for the connection actors' own messages.</summary>
public interface IConnectionMessage;

/// <summary>Where one connection (one client ID) stands.</summary>
public enum ConnectionState
{
    Connecting,
    Attached,
    /// <summary>Waiting before the next attempt after a transient failure.</summary>
    BackingOff,
    /// <summary>Authentication or configuration failure: retrying slowly, needs an operator.</summary>
    Unhealthy,
    Stopped,
}

/// <summary>
/// A snapshot of one connection for health checks and the HTTP API. Published on the event stream
/// whenever the state changes, and kept by the consumer supervisor.
/// </summary>
public sealed record ConnectionStatus(
    string ConsumerGroupId,
    string ClientId,
    ConnectionState State,
    string? LastError,
    CloseClass? LastErrorClass,
    long Delivered,
    long Accepted,
    long Released,
    int InFlight,
    int Reconnects,
    DateTimeOffset Since) : IConnectionMessage;

/// <summary>Ask the consumer supervisor for every <see cref="ConnectionStatus"/>; answered with <see cref="ConnectionStatuses"/>.</summary>
public sealed record GetConnectionStatuses : IConnectionMessage
{
    public static readonly GetConnectionStatuses Instance = new();
}

public sealed record ConnectionStatuses(IReadOnlyList<ConnectionStatus> Connections) : IConnectionMessage;

/// <summary>
/// Graceful stop: stop credit, let in-flight deliveries finish and be accepted, then close.
/// Answered with <see cref="ConsumingStopped"/> once the connection is closed.
/// </summary>
public sealed record StopConsuming : IConnectionMessage
{
    public static readonly StopConsuming Instance = new();
}

public sealed record ConsumingStopped(string ClientId, int LeftUnsettled) : IConnectionMessage;

/// <summary>
/// A delivery that could not be routed to any device (no topic, unknown shape, no device in the topic,
/// oversize body). It is accepted so it never blocks the link; this record on the event stream is its trace.
/// </summary>
public sealed record UnroutableDelivery(string ClientId, string? MessageId, string? Topic, string Reason) : IConnectionMessage;

// Internal messages of the connection actor and its supervisor: they never leave the process (they hold
// sockets, exceptions and deliveries), so serialize-messages verification skips them.
internal sealed record Connected(long Generation, AmqpReceiver Receiver) : INoSerializationVerificationNeeded;
internal sealed record ConnectFailed(long Generation, Exception Error) : INoSerializationVerificationNeeded;
internal sealed record DeliveryArrived(long Generation, ReceivedDelivery Delivery) : INoSerializationVerificationNeeded;
internal sealed record ConnectionLost(long Generation, ReceiverClosed Reason) : INoSerializationVerificationNeeded;
internal sealed record ReceiverClosedAfterStop(int LeftUnsettled) : INoSerializationVerificationNeeded;
internal sealed record SweepDeadlines : INoSerializationVerificationNeeded
{
    public static readonly SweepDeadlines Instance = new();
}

/// <summary>Sent by a connection actor to its supervisor: it ended, and why.</summary>
internal sealed record ConnectionEnded(string ClientId, CloseClassification Classification, bool WasAttached) : INoSerializationVerificationNeeded;
internal sealed record ConnectionAttached(string ClientId) : INoSerializationVerificationNeeded;
internal sealed record ConnectionProgress(long Delivered, long Accepted, long Released, int InFlight) : INoSerializationVerificationNeeded;
