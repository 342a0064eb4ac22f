using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// What a device behavior sees of one platform message: IDs, topic, kind and body. No AMQP.
/// </summary>
/// <param name="MessageId">Platform message ID, identical on every redelivery.</param>
/// <param name="Topic">Forwarding topic as received.</param>
/// <param name="Kind">Topic family (status, property post, custom …).</param>
/// <param name="Identifier">Event identifier for event topics, else null.</param>
/// <param name="GenerateTime">Platform generate time (epoch ms) or null; not an ordering key.</param>
/// <param name="ReceivedAt">When this process received it (epoch ms).</param>
/// <param name="Body">Payload bytes; decode with <see cref="PayloadReader"/> for system topics.</param>
public sealed record DeviceMessage(
    string MessageId,
    string Topic,
    MessageKind Kind,
    string? Identifier,
    long? GenerateTime,
    long ReceivedAt,
    ReadOnlyMemory<byte> Body);
