namespace IotActors.Platform.Messages;

/// <summary>
/// One message as the platform pushes it: application properties <c>messageId</c>, <c>topic</c>,
/// <c>generateTime</c>, and the <c>data</c> body bytes. Transport-free: nothing here refers to AMQP.
/// </summary>
/// <param name="MessageId">Platform message ID; identical on every redelivery. Opaque text.</param>
/// <param name="Topic">Forwarding topic (no <c>/sys/</c> prefix), e.g. <c>/a1Bc/dev01/thing/event/property/post</c>.</param>
/// <param name="GenerateTime">When the platform generated it, epoch ms; not an ordering key. Null when absent.</param>
/// <param name="Body">Payload bytes: UTF-8 JSON for system topics, anything for custom topics.</param>
/// <param name="Properties">Every other application property, unknown keys included.</param>
public sealed record IotMessage(
    string MessageId,
    string Topic,
    long? GenerateTime,
    ReadOnlyMemory<byte> Body,
    IReadOnlyDictionary<string, object?> Properties)
{
    /// <summary>No other application property; shared by every such message, so it cannot be changed through a cast.</summary>
    public static readonly IReadOnlyDictionary<string, object?> NoProperties = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
}
