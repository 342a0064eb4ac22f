using System.Globalization;
using System.Text;
using Amqp.Framing;
using IotActors.Platform.Messages;

namespace IotActors.Platform.Amqp;

/// <summary>
/// Reads an AMQP message the way the platform sends it (spec §3.1): a <c>data</c> body and the
/// application properties <c>topic</c>, <c>messageId</c>, <c>generateTime</c>. Tolerant of what the
/// spec leaves open (generateTime as long or text; message-id only in the standard properties).
/// Never throws: a transfer it cannot read yields a reason instead.
/// </summary>
internal static class IotMessageReader
{
    public static IotMessage? Read(global::Amqp.Message message, out string? failure)
    {
        try
        {
            return ReadCore(message, out failure);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library decodes lazily; a malformed section surfaces here and must not escape.
            failure = "undecodable AMQP message: " + e.Message;
            return null;
        }
    }

    private static IotMessage? ReadCore(global::Amqp.Message message, out string? failure)
    {
        var app = message.ApplicationProperties?.Map;
        string? topic = app is null ? null : AsText(app["topic"]);
        string? messageId = app is null ? null : AsText(app["messageId"]);
        messageId ??= AsText(message.Properties?.GetMessageId());

        if (string.IsNullOrEmpty(topic)) { failure = "no 'topic' application property"; return null; }
        if (string.IsNullOrEmpty(messageId)) { failure = "no 'messageId' application property or message-id"; return null; }

        ReadOnlyMemory<byte> body;
        switch (message.BodySection)
        {
            case Data data: body = data.Binary ?? []; break;
            case DataList list: body = Concat(list); break;
            case AmqpValue { Value: byte[] bytes }: body = bytes; break;
            case AmqpValue { Value: string text }: body = Encoding.UTF8.GetBytes(text); break;
            case null: body = ReadOnlyMemory<byte>.Empty; break;
            default: failure = $"body section {message.BodySection.GetType().Name} is not binary data"; return null;
        }

        // Made only when there is one to keep: the platform sends topic, messageId and generateTime alone, and an empty
        // dictionary per message was ~80 B of garbage on the hot path (BENCHMARKS.md, round 15).
        Dictionary<string, object?>? properties = null;
        if (app is not null)
        {
            foreach (var key in app.Keys)
            {
                var name = key?.ToString();
                if (name is null or "topic" or "messageId" or "generateTime") continue;
                (properties ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = app[key];
            }
        }

        failure = null;
        return new IotMessage(messageId, topic, AsEpochMs(app?["generateTime"]), body, properties ?? IotMessage.NoProperties);
    }

    private static ReadOnlyMemory<byte> Concat(DataList list)
    {
        var total = 0;
        for (var i = 0; i < list.Count; i++) total += list[i].Binary?.Length ?? 0;
        var bytes = new byte[total];
        var at = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var part = list[i].Binary;
            if (part is null) continue;
            part.CopyTo(bytes, at);
            at += part.Length;
        }
        return bytes;
    }

    private static string? AsText(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static long? AsEpochMs(object? value) => value switch
    {
        long l => l,
        int i => i,
        ulong u when u <= long.MaxValue => (long)u,
        uint u => u,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
