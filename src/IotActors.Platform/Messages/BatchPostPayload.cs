using System.Text.Json;

namespace IotActors.Platform.Messages;

/// <summary>
/// Batched TSL report, <c>thing/property/batch/post</c> or <c>thing/event/batch/post</c> (spec §5.4).
/// The topic says whether <see cref="Items"/> holds properties or events.
/// </summary>
/// <remarks>
/// The shape (<c>"payload": { identifier: [ {"value":…,"time":…}, … ] }</c>) comes from community
/// decoders, not the vendor page (spec §8); a payload that differs fails with a reason instead of
/// being half-read.
/// <list type="table">
/// <item><term>Items</term><description>Identifier → reported values in the order sent (not necessarily by time).</description></item>
/// </list>
/// </remarks>
public sealed record BatchPostPayload(
    string ProductKey,
    string DeviceName,
    string? IotId,
    string? RequestId,
    long? GmtCreate,
    IReadOnlyDictionary<string, IReadOnlyList<TimedValue>> Items)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    internal static PayloadResult<BatchPostPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.OptionalId("requestId", out var requestId)
            || !f.OptionalInt64("gmtCreate", out var gmtCreate)
            || !f.RequiredObject("payload", out var payload))
        {
            return f.Failure;
        }

        var items = new Dictionary<string, IReadOnlyList<TimedValue>>(payload.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var entry in payload.EnumerateObject())
        {
            var name = entry.Name; // each read of Name is a new string
            if (entry.Value.ValueKind != JsonValueKind.Array)
                return new PayloadFailure(PayloadError.WrongType, $"'{new FieldPath("payload.", name)}' must be an array, not {entry.Value.ValueKind}");

            var values = new List<TimedValue>(entry.Value.GetArrayLength());
            var index = 0;
            foreach (var element in entry.Value.EnumerateArray())
            {
                if (!TimedValue.TryRead(element, new FieldPath("payload.", name, index++), gmtCreate, f, out var value)) return f.Failure;
                values.Add(value);
            }
            items[name] = values;
        }

        return new BatchPostPayload(productKey, deviceName, iotId, requestId, gmtCreate, items);
    }
}
