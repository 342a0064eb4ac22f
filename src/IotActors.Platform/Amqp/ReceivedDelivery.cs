using IotActors.Platform.Messages;

namespace IotActors.Platform.Amqp;

/// <summary>
/// One unsettled transfer on a receiver link. Settle it exactly once with
/// <see cref="AmqpReceiver.Accept"/> or <see cref="AmqpReceiver.Release"/>; until then it holds one unit of credit.
/// </summary>
public sealed class ReceivedDelivery
{
    internal ReceivedDelivery(long sequence, DateTimeOffset receivedAt, long receivedTimestamp, global::Amqp.Message transport, IotMessage? message, string? decodeFailure)
    {
        Sequence = sequence;
        ReceivedAt = receivedAt;
        ReceivedTimestamp = receivedTimestamp;
        Transport = transport;
        Message = message;
        DecodeFailure = decodeFailure;
    }

    /// <summary>Arrival order on this connection, from 1.</summary>
    public long Sequence { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the receive callback started: measure
    /// receive-to-settle time from here, so the hand-off to the owner (e.g. a mailbox) is counted too.
    /// </summary>
    public long ReceivedTimestamp { get; }

    /// <summary>The decoded message, or null when the transfer lacked what the platform always sends.</summary>
    public IotMessage? Message { get; }

    /// <summary>Why <see cref="Message"/> is null (no topic, no messageId, a body that is not binary…).</summary>
    public string? DecodeFailure { get; }

    internal global::Amqp.Message Transport { get; }

    private int _settled;

    /// <summary>True once, for the first settle; later attempts are ignored.</summary>
    internal bool TryMarkSettled() => Interlocked.Exchange(ref _settled, 1) == 0;

    public bool IsSettled => Volatile.Read(ref _settled) == 1;
}
