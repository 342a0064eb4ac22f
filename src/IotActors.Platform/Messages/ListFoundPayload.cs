namespace IotActors.Platform.Messages;

/// <summary>
/// Sub-devices a gateway discovered and reported, <c>thing/list/found</c> (spec §5.9): the
/// topology shape without action or time.
/// </summary>
public sealed record ListFoundPayload(
    DeviceId Gateway,
    string? GatewayIotId,
    IReadOnlyList<SubDevice> Devices)
{
    internal static PayloadResult<ListFoundPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("gwProductKey", out var gwProductKey)
            || !f.RequiredString("gwDeviceName", out var gwDeviceName)
            || !f.OptionalString("gwIotId", out var gwIotId)
            || !SubDevice.TryReadList(f, out var devices))
        {
            return f.Failure;
        }

        return new ListFoundPayload(new DeviceId(gwProductKey, gwDeviceName), gwIotId, devices);
    }
}
