using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using IotActors.Platform.Messages;

namespace IotActors.Emulator.Simulation;

/// <summary>
/// A <see cref="GroundTruth"/> as a JSON file, so a process other than the simulator's (a chaos script, the
/// <c>verify</c> command) can compare what consumers hold with what was sent. Property and event values are
/// kept as the exact JSON text the devices sent; times are epoch milliseconds.
/// </summary>
/// <remarks>
/// Shape: <c>{"format":1,"totalMessages":N,"devices":[{"productKey","deviceName","iotId","distinctMessages",
/// "status":{"status","utcTime","utcLastTime","clientIp","messageId"}|null,
/// "properties":{"Id":{"value":…,"time","messageId"}},"events":{"Id":{"type","value","time","messageId"}},
/// "lifecycle":{"action","messageCreateTime","messageId"}|null}]}</c>.
/// </remarks>
public static class GroundTruthFile
{
    /// <summary>Version of the file's shape; <see cref="Read"/> refuses any other.</summary>
    public const int Format = 1;

    /// <summary>
    /// Writes <paramref name="truth"/> to <paramref name="path"/> atomically: a temporary file beside it is
    /// renamed over it, so a reader waiting for the file never sees half of it.
    /// </summary>
    public static void Write(GroundTruth truth, string path)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                WriteTruth(json, truth);
                json.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a ground truth of this <see cref="Format"/>; the message says what is wrong.</exception>
    public static GroundTruth Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        try
        {
            using var document = JsonDocument.Parse(stream);
            return ReadTruth(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a ground truth file: {e.Message}", e);
        }
    }

    private static void WriteTruth(Utf8JsonWriter json, GroundTruth truth)
    {
        json.WriteStartObject();
        json.WriteNumber("format", Format);
        json.WriteNumber("totalMessages", truth.TotalMessages);
        json.WriteStartArray("devices");
        foreach (var device in truth.Devices.Values.OrderBy(d => d.Device.ToString(), StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("productKey", device.Device.ProductKey);
            json.WriteString("deviceName", device.Device.DeviceName);
            json.WriteString("iotId", device.IotId);
            json.WriteNumber("distinctMessages", device.DistinctMessages);
            if (device.Status is { } status)
            {
                json.WriteStartObject("status");
                json.WriteString("status", status.Status);
                json.WriteNumber("utcTime", status.UtcTime.ToUnixTimeMilliseconds());
                json.WriteNumber("utcLastTime", status.UtcLastTime.ToUnixTimeMilliseconds());
                json.WriteString("clientIp", status.ClientIp);
                json.WriteString("messageId", status.MessageId);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("status");
            }
            json.WriteStartObject("properties");
            foreach (var p in device.Properties.Values.OrderBy(p => p.Identifier, StringComparer.Ordinal))
            {
                json.WriteStartObject(p.Identifier);
                json.WritePropertyName("value");
                json.WriteRawValue(p.ValueJson);
                json.WriteNumber("time", p.Time);
                json.WriteString("messageId", p.MessageId);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("events");
            foreach (var e in device.Events.Values.OrderBy(e => e.Identifier, StringComparer.Ordinal))
            {
                json.WriteStartObject(e.Identifier);
                json.WriteString("type", e.Type);
                json.WritePropertyName("value");
                json.WriteRawValue(e.ValueJson);
                json.WriteNumber("time", e.Time);
                json.WriteString("messageId", e.MessageId);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            if (device.Lifecycle is { } lifecycle)
            {
                json.WriteStartObject("lifecycle");
                json.WriteString("action", lifecycle.Action);
                json.WriteNumber("messageCreateTime", lifecycle.MessageCreateTime);
                json.WriteString("messageId", lifecycle.MessageId);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("lifecycle");
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static GroundTruth ReadTruth(JsonElement root)
    {
        if (!root.TryGetProperty("format", out var format) || format.GetInt32() != Format)
            throw new FormatException($"expected \"format\": {Format.ToString(CultureInfo.InvariantCulture)}");
        var devices = ImmutableDictionary.CreateBuilder<DeviceId, DeviceTruth>();
        foreach (var d in root.GetProperty("devices").EnumerateArray())
        {
            var id = new DeviceId(d.GetProperty("productKey").GetString()!, d.GetProperty("deviceName").GetString()!);
            var properties = ImmutableDictionary.CreateBuilder<string, PropertyTruth>(StringComparer.Ordinal);
            foreach (var p in d.GetProperty("properties").EnumerateObject())
            {
                properties[p.Name] = new PropertyTruth(p.Name, p.Value.GetProperty("value").GetRawText(), p.Value.GetProperty("time").GetInt64(),
                    p.Value.GetProperty("messageId").GetString()!);
            }
            var events = ImmutableDictionary.CreateBuilder<string, EventTruth>(StringComparer.Ordinal);
            foreach (var e in d.GetProperty("events").EnumerateObject())
            {
                events[e.Name] = new EventTruth(e.Name, e.Value.GetProperty("type").GetString()!, e.Value.GetProperty("value").GetRawText(),
                    e.Value.GetProperty("time").GetInt64(), e.Value.GetProperty("messageId").GetString()!);
            }
            StatusTruth? status = null;
            if (d.GetProperty("status") is { ValueKind: JsonValueKind.Object } s)
            {
                status = new StatusTruth(s.GetProperty("status").GetString()!,
                    DateTimeOffset.FromUnixTimeMilliseconds(s.GetProperty("utcTime").GetInt64()),
                    DateTimeOffset.FromUnixTimeMilliseconds(s.GetProperty("utcLastTime").GetInt64()),
                    s.GetProperty("clientIp").GetString(), s.GetProperty("messageId").GetString()!);
            }
            LifecycleTruth? lifecycle = null;
            if (d.GetProperty("lifecycle") is { ValueKind: JsonValueKind.Object } l)
            {
                lifecycle = new LifecycleTruth(l.GetProperty("action").GetString()!, l.GetProperty("messageCreateTime").GetInt64(), l.GetProperty("messageId").GetString()!);
            }
            devices[id] = new DeviceTruth(id, d.GetProperty("iotId").GetString()!, properties.ToImmutable(), status, events.ToImmutable(), lifecycle,
                d.GetProperty("distinctMessages").GetInt32());
        }
        return new GroundTruth(devices.ToImmutable(), root.GetProperty("totalMessages").GetInt64());
    }
}
