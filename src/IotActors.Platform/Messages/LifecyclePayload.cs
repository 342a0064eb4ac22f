namespace IotActors.Platform.Messages;

/// <summary>
/// Device created, deleted, enabled or disabled, <c>thing/lifecycle</c> (spec §5.7).
/// </summary>
/// <remarks>
/// A <c>create</c> carries the new device's <c>deviceSecret</c>. It is deliberately never read, so
/// it cannot reach state, logs or API output through this type. The raw body still holds it:
/// callers must not log lifecycle bodies. <c>MessageCreateTime</c> is when the platform created
/// the notice, epoch ms.
/// </remarks>
public sealed record LifecyclePayload(
    LifecycleAction Action,
    string ProductKey,
    string DeviceName,
    string? IotId,
    long MessageCreateTime)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    internal static PayloadResult<LifecyclePayload> Read(PayloadFields f)
    {
        if (!f.RequiredEnum("action", LifecycleActions.Parse, LifecycleActions.Allowed, out var action)
            || !f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.RequiredInt64("messageCreateTime", out var created))
        {
            return f.Failure;
        }

        return new LifecyclePayload(action, productKey, deviceName, iotId, created);
    }
}
