using System.Text.Json;

namespace IotActors.Platform.Messages;

/// <summary>A sub-device named in a gateway's topology or discovery message (spec §5.8, §5.9).</summary>
public sealed record SubDevice(string ProductKey, string DeviceName, string? IotId)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    /// <summary>Reads the required <c>devices</c> array; other fields of each entry (secrets included) are not read.</summary>
    internal static bool TryReadList(PayloadFields owner, out IReadOnlyList<SubDevice> devices)
    {
        devices = [];
        if (!owner.RequiredArray("devices", out var array)) return false;

        var list = new List<SubDevice>(array.GetArrayLength());
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = new FieldPath("devices", index: index++);
            if (element.ValueKind != JsonValueKind.Object)
                return owner.Fail(PayloadError.WrongType, $"'{path}' must be an object, not {element.ValueKind}");

            var f = new PayloadFields(element, path);
            if (!f.RequiredString("productKey", out var productKey)
                || !f.RequiredString("deviceName", out var deviceName)
                || !f.OptionalString("iotId", out var iotId))
            {
                return owner.Fail(f.Failure);
            }
            list.Add(new SubDevice(productKey, deviceName, iotId));
        }
        devices = list;
        return true;
    }
}
