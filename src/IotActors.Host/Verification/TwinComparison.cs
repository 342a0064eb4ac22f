using System.Globalization;
using System.Text.Json;
using IotActors.Emulator.Simulation;

namespace IotActors.Host.Verification;

/// <summary>
/// Compares a device twin as <c>GET /api/devices/{productKey}/{deviceName}</c> shows it with the simulator's
/// <see cref="DeviceTruth"/>: the number of messages applied equals the distinct messages sent; status, status
/// times, every property (value and time), every event (type, value, time) and the lifecycle are the newest the
/// device sent; and the twin holds nothing the device never sent. Pure: no I/O, so every rule is unit-testable.
/// </summary>
public static class TwinComparison
{
    /// <summary>Compares <paramref name="twin"/> (the API's JSON object) with <paramref name="truth"/>.</summary>
    public static DeviceVerdict Compare(DeviceTruth truth, JsonElement twin)
    {
        ArgumentNullException.ThrowIfNull(truth);
        var differences = new List<string>();
        long? applied = twin.TryGetProperty("messagesApplied", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt64() : null;
        if (applied is not { } n) differences.Add("the twin has no messagesApplied");
        else if (n < truth.DistinctMessages) differences.Add($"lost {Text(truth.DistinctMessages - n)} message(s): applied {Text(n)} of {Text(truth.DistinctMessages)}");
        else if (n > truth.DistinctMessages) differences.Add($"applied twice: {Text(n)} applications of {Text(truth.DistinctMessages)} distinct messages");

        CompareStatus(truth, twin, differences);
        CompareProperties(truth, twin, differences);
        CompareEvents(truth, twin, differences);
        CompareLifecycle(truth, twin, differences);
        return new DeviceVerdict(truth.Device, truth.DistinctMessages, applied, differences);
    }

    /// <summary>No node has a twin for the device (404 everywhere asked): every message it sent is lost.</summary>
    public static DeviceVerdict NoTwin(DeviceTruth truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        return new DeviceVerdict(truth.Device, truth.DistinctMessages, 0,
            [$"no twin: none of its {Text(truth.DistinctMessages)} message(s) was applied"]);
    }

    /// <summary>No node answered for the device; nothing is known about it yet.</summary>
    public static DeviceVerdict Unanswered(DeviceTruth truth, string reason)
    {
        ArgumentNullException.ThrowIfNull(truth);
        return new DeviceVerdict(truth.Device, truth.DistinctMessages, null, [$"no node answered: {reason}"]);
    }

    private static void CompareStatus(DeviceTruth truth, JsonElement twin, List<string> differences)
    {
        var status = String(twin, "status");
        if (truth.Status is not { } expected)
        {
            if (status is not null) differences.Add($"status is {status}; the device sent no status");
            return;
        }
        if (status != expected.Status) differences.Add($"status is {status ?? "null"}, expected {expected.Status}");
        var time = Long(twin, "statusTime");
        if (time != expected.UtcTime.ToUnixTimeMilliseconds())
            differences.Add($"statusTime is {Text(time)}, expected {Text(expected.UtcTime.ToUnixTimeMilliseconds())}");
        var lastTime = Long(twin, "lastSessionTime");
        if (lastTime != expected.UtcLastTime.ToUnixTimeMilliseconds())
            differences.Add($"lastSessionTime is {Text(lastTime)}, expected {Text(expected.UtcLastTime.ToUnixTimeMilliseconds())}");
    }

    private static void CompareProperties(DeviceTruth truth, JsonElement twin, List<string> differences)
    {
        var actual = Object(twin, "properties");
        foreach (var (id, expected) in truth.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (actual is not { } all || !all.TryGetProperty(id, out var property))
            {
                differences.Add($"property {id} missing, expected {expected.ValueJson} at {Text(expected.Time)}");
                continue;
            }
            var time = Long(property, "time");
            var hasValue = property.TryGetProperty("value", out var value);
            if (time != expected.Time || !hasValue || !expected.ValueEquals(value))
                differences.Add($"property {id} is {(hasValue ? value.GetRawText() : "absent")} at {Text(time)}, expected {expected.ValueJson} at {Text(expected.Time)}");
        }
        foreach (var extra in Names(actual).Where(n => !truth.Properties.ContainsKey(n)))
            differences.Add($"property {extra} present, but the device never sent it");
    }

    private static void CompareEvents(DeviceTruth truth, JsonElement twin, List<string> differences)
    {
        var actual = Object(twin, "events");
        foreach (var (id, expected) in truth.Events.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (actual is not { } all || !all.TryGetProperty(id, out var @event))
            {
                differences.Add($"event {id} missing, expected {expected.Type} {expected.ValueJson} at {Text(expected.Time)}");
                continue;
            }
            var time = Long(@event, "time");
            var type = String(@event, "type");
            var hasValue = @event.TryGetProperty("value", out var value);
            if (time != expected.Time || type != expected.Type || !hasValue || !expected.ValueEquals(value))
                differences.Add($"event {id} is {type} {(hasValue ? value.GetRawText() : "absent")} at {Text(time)}, expected {expected.Type} {expected.ValueJson} at {Text(expected.Time)}");
        }
        foreach (var extra in Names(actual).Where(n => !truth.Events.ContainsKey(n)))
            differences.Add($"event {extra} present, but the device never sent it");
    }

    private static void CompareLifecycle(DeviceTruth truth, JsonElement twin, List<string> differences)
    {
        var actual = Object(twin, "lifecycle");
        if (truth.Lifecycle is not { } expected)
        {
            if (actual is not null) differences.Add("lifecycle present, but the device sent none");
            return;
        }
        var action = actual is { } l ? String(l, "action") : null;
        var time = actual is { } t ? Long(t, "time") : null;
        if (action != expected.Action || time != expected.MessageCreateTime)
            differences.Add($"lifecycle is {action ?? "null"} at {Text(time)}, expected {expected.Action} at {Text(expected.MessageCreateTime)}");
    }

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static IEnumerable<string> Names(JsonElement? parent) =>
        parent is { } p ? p.EnumerateObject().Select(o => o.Name) : [];

    private static string Text(long? n) => n is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null";
}
