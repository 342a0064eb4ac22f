namespace IotActors.Platform.Amqp;

/// <summary>A connection attempt failed. Carries the stage, the AMQP condition if any, and a message without secrets.</summary>
public sealed class ReceiverConnectException(ConnectStage stage, string? condition, string message, Exception? inner = null)
    : Exception($"{stage} failed: {message}", inner)
{
    public ConnectStage Stage { get; } = stage;

    /// <summary>AMQP error condition, e.g. <c>amqp:unauthorized-access</c>; null for socket and TLS failures.</summary>
    public string? Condition { get; } = condition;

    /// <summary>The reason without the stage prefix.</summary>
    public string Reason { get; } = message;
}
