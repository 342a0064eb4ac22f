namespace IotActors.Platform.Messages;

/// <summary>
/// TSL property report, <c>thing/event/property/post</c> (spec §5.2); also the shape of
/// <c>thing/event/property/history/post</c> (§5.5).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>RequestId</term><description>The Alink <c>id</c> of the device's request.</description></item>
/// <item><term>GmtCreate</term><description>When the platform received the report, epoch ms.</description></item>
/// <item><term>Items</term><description>Property identifier → value and time (case-sensitive, as in the TSL).</description></item>
/// </list>
/// </remarks>
public sealed record PropertyPostPayload(
    string ProductKey,
    string DeviceName,
    string? IotId,
    string? RequestId,
    long? GmtCreate,
    IReadOnlyDictionary<string, TimedValue> Items)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    internal static PayloadResult<PropertyPostPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.OptionalId("requestId", out var requestId)
            || !f.OptionalInt64("gmtCreate", out var gmtCreate)
            || !f.RequiredObject("items", out var itemsElement))
        {
            return f.Failure;
        }

        var items = new Dictionary<string, TimedValue>(itemsElement.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var item in itemsElement.EnumerateObject())
        {
            var name = item.Name; // each read of Name is a new string
            if (!TimedValue.TryRead(item.Value, new FieldPath("items.", name), gmtCreate, f, out var value)) return f.Failure;
            items[name] = value;
        }

        return new PropertyPostPayload(productKey, deviceName, iotId, requestId, gmtCreate, items);
    }
}
