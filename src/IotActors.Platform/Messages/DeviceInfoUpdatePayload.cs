using System.Text.Json;

namespace IotActors.Platform.Messages;

/// <summary>A device's tags changed, <c>thing/deviceinfo/update</c> (spec §5.11).</summary>
/// <remarks><c>Tags</c> is the <c>value</c> array of the payload.</remarks>
public sealed record DeviceInfoUpdatePayload(
    string ProductKey,
    string DeviceName,
    string? IotId,
    IReadOnlyList<DeviceTag> Tags,
    long MessageCreateTime)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    internal static PayloadResult<DeviceInfoUpdatePayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.RequiredArray("value", out var value)
            || !f.RequiredInt64("messageCreateTime", out var created))
        {
            return f.Failure;
        }

        var tags = new List<DeviceTag>(value.GetArrayLength());
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var path = new FieldPath("value", index: index++);
            if (element.ValueKind != JsonValueKind.Object)
                return new PayloadFailure(PayloadError.WrongType, $"'{path}' must be an object, not {element.ValueKind}");
            var tag = new PayloadFields(element, path);
            if (!tag.RequiredString("attrKey", out var key) || !tag.OptionalString("attrValue", out var text)) return tag.Failure;
            tags.Add(new DeviceTag(key, text));
        }

        return new DeviceInfoUpdatePayload(productKey, deviceName, iotId, tags, created);
    }
}
