namespace IotActors.Platform.Messages;

/// <summary>
/// Sub-devices added to, removed from, enabled or disabled under a gateway,
/// <c>thing/topo/lifecycle</c> (spec §5.8). The topic's device is the gateway.
/// </summary>
public sealed record TopoLifecyclePayload(
    LifecycleAction Action,
    DeviceId Gateway,
    string? GatewayIotId,
    IReadOnlyList<SubDevice> Devices,
    long MessageCreateTime)
{
    internal static PayloadResult<TopoLifecyclePayload> Read(PayloadFields f)
    {
        if (!f.RequiredEnum("action", LifecycleActions.Parse, LifecycleActions.Allowed, out var action)
            || !f.RequiredString("gwProductKey", out var gwProductKey)
            || !f.RequiredString("gwDeviceName", out var gwDeviceName)
            || !f.OptionalString("gwIotId", out var gwIotId)
            || !SubDevice.TryReadList(f, out var devices)
            || !f.RequiredInt64("messageCreateTime", out var created))
        {
            return f.Failure;
        }

        return new TopoLifecyclePayload(action, new DeviceId(gwProductKey, gwDeviceName), gwIotId, devices, created);
    }
}
