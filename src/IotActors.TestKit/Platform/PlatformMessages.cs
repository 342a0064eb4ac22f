using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IotActors.Actors.Devices;
using IotActors.Emulator;
using IotActors.Platform.Messages;

namespace IotActors.TestKit.Platform;

/// <summary>
/// Messages in the shapes the platform forwards (spec §5: status, property report, event report, lifecycle), for tests
/// that publish chosen input through <see cref="EmulatedPlatform.PublishAsync"/> or hand it straight to a behavior with
/// <see cref="ToDeviceMessage"/>. Field names, topics and time formats are the ones the emulator's device simulator and
/// the platform use, so the production payload readers read them.
/// </summary>
/// <remarks>Times are epoch milliseconds (UTC) unless a parameter says otherwise. No builder writes a device secret.</remarks>
public static class PlatformMessages
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>
    /// <c>/as/mqtt/status/{pk}/{dn}</c> (§5.1): the device went online or offline at <paramref name="utcTime"/>;
    /// <paramref name="utcLastTime"/> is its last communication before that (the session the notice belongs to).
    /// </summary>
    public static EmulatedMessage Status(DeviceId device, string messageId, bool online, long utcTime, long? utcLastTime = null, string? clientIp = "198.51.100.7")
    {
        var body = Write(json =>
        {
            json.WriteString("status", online ? "online" : "offline");
            json.WriteString("iotId", IotIdOf(device));
            json.WriteString("productKey", device.ProductKey);
            json.WriteString("deviceName", device.DeviceName);
            json.WriteString("time", LocalText(utcTime));
            json.WriteString("utcTime", UtcText(utcTime));
            if (utcLastTime is { } last)
            {
                json.WriteString("lastTime", LocalText(last));
                json.WriteString("utcLastTime", UtcText(last));
            }
            if (clientIp is not null) json.WriteString("clientIp", clientIp);
        });
        return new EmulatedMessage($"/as/mqtt/status/{device.ProductKey}/{device.DeviceName}", messageId, utcTime, body);
    }

    /// <summary>
    /// <c>/{pk}/{dn}/thing/event/property/post</c> (§5.2), or its <c>history/post</c> (§5.5) for readings sent late on
    /// purpose: one item per property, each value written as JSON (<c>System.Text.Json</c>) with its own time
    /// (<paramref name="gmtCreate"/> when null).
    /// </summary>
    public static EmulatedMessage PropertyPost(DeviceId device, string messageId, long gmtCreate, IEnumerable<PropertyItem> items, bool history = false)
    {
        ArgumentNullException.ThrowIfNull(items);
        var body = Write(json =>
        {
            json.WriteString("iotId", IotIdOf(device));
            json.WriteString("requestId", messageId);
            json.WriteString("productKey", device.ProductKey);
            json.WriteString("deviceName", device.DeviceName);
            json.WriteNumber("gmtCreate", gmtCreate);
            json.WriteStartObject("checkFailedData");
            json.WriteEndObject();
            json.WriteStartObject("items");
            foreach (var item in items)
            {
                json.WriteStartObject(item.Identifier);
                json.WritePropertyName("value");
                JsonSerializer.Serialize(json, item.Value);
                json.WriteNumber("time", item.Time ?? gmtCreate);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });
        var topic = $"/{device.ProductKey}/{device.DeviceName}/thing/event/property/{(history ? "history/post" : "post")}";
        return new EmulatedMessage(topic, messageId, gmtCreate, body);
    }

    /// <summary>A property post of one property (see <see cref="PropertyPost(DeviceId, string, long, IEnumerable{PropertyItem}, bool)"/>).</summary>
    public static EmulatedMessage PropertyPost(DeviceId device, string messageId, long gmtCreate, string identifier, object? value, long? time = null, bool history = false) =>
        PropertyPost(device, messageId, gmtCreate, [new PropertyItem(identifier, value, time)], history);

    /// <summary><c>/{pk}/{dn}/thing/event/{identifier}/post</c> (§5.3): an event of TSL type <paramref name="type"/> (info, alert, error) with its output parameters.</summary>
    public static EmulatedMessage EventPost(DeviceId device, string messageId, string identifier, string type, object? value, long time, long? gmtCreate = null)
    {
        var body = Write(json =>
        {
            json.WriteString("identifier", identifier);
            json.WriteString("name", identifier);
            json.WriteString("type", type);
            json.WriteString("iotId", IotIdOf(device));
            json.WriteString("productKey", device.ProductKey);
            json.WriteString("deviceName", device.DeviceName);
            json.WriteNumber("gmtCreate", gmtCreate ?? time);
            json.WritePropertyName("value");
            JsonSerializer.Serialize(json, value ?? new Dictionary<string, object>());
            json.WriteNumber("time", time);
        });
        return new EmulatedMessage($"/{device.ProductKey}/{device.DeviceName}/thing/event/{identifier}/post", messageId, gmtCreate ?? time, body);
    }

    /// <summary><c>/{pk}/{dn}/thing/lifecycle</c> (§5.7): <paramref name="action"/> is create, delete, enable or disable.</summary>
    public static EmulatedMessage Lifecycle(DeviceId device, string messageId, string action, long messageCreateTime)
    {
        var body = Write(json =>
        {
            json.WriteString("action", action);
            json.WriteString("iotId", IotIdOf(device));
            json.WriteString("productKey", device.ProductKey);
            json.WriteString("deviceName", device.DeviceName);
            json.WriteNumber("messageCreateTime", messageCreateTime);
        });
        return new EmulatedMessage($"/{device.ProductKey}/{device.DeviceName}/thing/lifecycle", messageId, messageCreateTime, body);
    }

    /// <summary>Any body on any topic: input a behavior must survive (malformed JSON, unknown topics, binary).</summary>
    public static EmulatedMessage Raw(string topic, string messageId, string body, long generateTime = 0) =>
        new(topic, messageId, generateTime, System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>
    /// What a device actor hands a behavior for <paramref name="message"/> (topic parsed as the connection actor does),
    /// for unit tests of a behavior's <c>Apply</c> without a consumer. <paramref name="receivedAt"/> defaults to the
    /// message's generate time.
    /// </summary>
    /// <exception cref="ArgumentException">The topic cannot be parsed.</exception>
    public static DeviceMessage ToDeviceMessage(EmulatedMessage message, long? receivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parsed = TopicParser.Parse(message.Topic);
        var topic = parsed.IsSuccess ? parsed.Topic : throw new ArgumentException($"Unreadable topic '{message.Topic}': {parsed.Reason}", nameof(message));
        return new DeviceMessage(message.MessageId, message.Topic, topic.Kind, topic.Identifier, message.GenerateTime, receivedAt ?? message.GenerateTime, message.Body);
    }

    /// <summary>The device a message's topic names.</summary>
    /// <exception cref="ArgumentException">The topic names no device.</exception>
    public static DeviceId DeviceOf(EmulatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TopicParser.Parse(message.Topic).Topic?.Device ?? throw new ArgumentException($"Topic '{message.Topic}' names no device", nameof(message));
    }

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    // A stable, plausible 20-character iotId per device (the platform's are opaque).
    private static string IotIdOf(DeviceId device) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(device.ToString())))[..20];

    // Status time/lastTime: China Standard Time without a zone, as the vendor's examples show; utc* in ISO 8601.
    private static string LocalText(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string UtcText(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One item of a property post: a TSL property identifier, its value (written as JSON) and its device time (null: the post's <c>gmtCreate</c>).</summary>
public sealed record PropertyItem(string Identifier, object? Value, long? Time = null);
