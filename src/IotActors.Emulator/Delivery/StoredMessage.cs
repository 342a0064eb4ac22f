using Amqp;
using Amqp.Framing;

namespace IotActors.Emulator.Delivery;

/// <summary>
/// One consumer group's copy of a published message, kept until it is accepted, expires or is dropped.
/// Every push builds a fresh AMQP message from it (a redelivery is a new transfer), always with the
/// same messageId. Mutated only under the group's lock.
/// </summary>
internal sealed class StoredMessage(EmulatedMessage message, byte[] body, TimeSpan publishedAt)
{
    public EmulatedMessage Message { get; } = message;

    public TimeSpan PublishedAt { get; } = publishedAt;

    /// <summary>How many times this copy has been transferred.</summary>
    public int Transfers { get; set; }

    public bool IsExpired(TimeSpan now, TimeSpan retention) => now - PublishedAt > retention;

    /// <summary>The wire shape of spec §3.1: one data section, topic/messageId/generateTime, and message-id.</summary>
    public Message ToAmqpMessage()
    {
        var amqp = new Message
        {
            BodySection = new Data { Binary = body },
            Properties = new Properties { MessageId = Message.MessageId },
            ApplicationProperties = new ApplicationProperties(),
        };
        amqp.ApplicationProperties["topic"] = Message.Topic;
        amqp.ApplicationProperties["messageId"] = Message.MessageId;
        amqp.ApplicationProperties["generateTime"] = Message.GenerateTime;
        return amqp;
    }
}
