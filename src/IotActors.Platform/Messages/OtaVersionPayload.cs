namespace IotActors.Platform.Messages;

/// <summary>
/// A device reported a new firmware module version, <c>ota/version/post</c> (spec §5.10); sent only
/// when the version changed.
/// </summary>
public sealed record OtaVersionPayload(
    string ProductKey,
    string DeviceName,
    string? IotId,
    string? ModuleName,
    string ModuleVersion,
    long MessageCreateTime)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    internal static PayloadResult<OtaVersionPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.OptionalString("moduleName", out var moduleName)
            || !f.RequiredString("moduleVersion", out var moduleVersion)
            || !f.RequiredInt64("messageCreateTime", out var created))
        {
            return f.Failure;
        }

        return new OtaVersionPayload(productKey, deviceName, iotId, moduleName, moduleVersion, created);
    }
}
