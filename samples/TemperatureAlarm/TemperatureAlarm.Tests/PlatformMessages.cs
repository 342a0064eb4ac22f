using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IotActors.Actors.Devices;
using IotActors.Emulator;
using IotActors.Platform.Messages;

namespace TemperatureAlarm.Tests;

/// <summary>
/// Platform messages in the forwarded shapes of the platform's data formats (status §5.1, property report §5.2), as the
/// emulator's own device simulator writes them: what the behavior reads in production.
/// </summary>
internal static class PlatformMessages
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary><c>/pk/dn/thing/event/property/post</c> (or its <c>history/post</c>, for a reading sent late on purpose) with one <c>Temperature</c> item.</summary>
    public static EmulatedMessage Temperature(DeviceId device, string messageId, long gmtCreate, double celsius, long itemTime, bool history = false)
    {
        var body = Write(json =>
        {
            json.WriteString("iotId", IotId(device));
            json.WriteString("requestId", messageId);
            json.WriteString("productKey", device.ProductKey);
            json.WriteString("deviceName", device.DeviceName);
            json.WriteString("deviceType", "TemperatureSensor");
            json.WriteNumber("gmtCreate", gmtCreate);
            json.WriteStartObject("checkFailedData");
            json.WriteEndObject();
            json.WriteStartObject("items");
            json.WriteStartObject(TemperatureAlarmBehavior.TemperatureProperty);
            json.WriteNumber("value", celsius);
            json.WriteNumber("time", itemTime);
            json.WriteEndObject();
            json.WriteEndObject();
        });
        var topic = $"/{device.ProductKey}/{device.DeviceName}/thing/event/property/{(history ? "history/post" : "post")}";
        return new EmulatedMessage(topic, messageId, gmtCreate, body);
    }

    /// <summary><c>/as/mqtt/status/pk/dn</c>: an online or offline notice produced at <paramref name="utcTime"/>.</summary>
    public static EmulatedMessage Status(DeviceId device, string messageId, bool online, long utcTime, long utcLastTime)
    {
        var body = Write(json =>
        {
            json.WriteString("status", online ? "online" : "offline");
            json.WriteString("iotId", IotId(device));
            json.WriteString("productKey", device.ProductKey);
            json.WriteString("deviceName", device.DeviceName);
            json.WriteString("time", LocalText(utcTime));
            json.WriteString("utcTime", UtcText(utcTime));
            json.WriteString("lastTime", LocalText(utcLastTime));
            json.WriteString("utcLastTime", UtcText(utcLastTime));
            json.WriteString("clientIp", "198.51.100.7");
        });
        return new EmulatedMessage($"/as/mqtt/status/{device.ProductKey}/{device.DeviceName}", messageId, utcTime, body);
    }

    /// <summary>Any body on any topic, for input the behavior must survive.</summary>
    public static EmulatedMessage Raw(string messageId, string topic, string body) =>
        new(topic, messageId, 0, System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>What a device actor hands the behavior for <paramref name="message"/>, for unit tests without a consumer.</summary>
    public static DeviceMessage ToDeviceMessage(EmulatedMessage message)
    {
        var topic = TopicParser.Parse(message.Topic).Topic ?? throw new ArgumentException($"Unreadable topic {message.Topic}", nameof(message));
        return new DeviceMessage(message.MessageId, message.Topic, topic.Kind, topic.Identifier, message.GenerateTime, message.GenerateTime, message.Body);
    }

    public static DeviceId DeviceOf(EmulatedMessage message) =>
        TopicParser.Parse(message.Topic).Topic?.Device ?? throw new ArgumentException($"Topic {message.Topic} names no device", nameof(message));

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

    private static string IotId(DeviceId device) => "iot" + device.DeviceName.Replace("-", "", StringComparison.Ordinal).PadRight(17, '0');

    private static string UtcText(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string LocalText(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
