using System.Text.Json;

namespace IotActors.Platform.Messages;

/// <summary>
/// TSL event report, <c>thing/event/{identifier}/post</c> (spec §5.3); also the shape of
/// <c>thing/event/{identifier}/history/post</c> (§5.5).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Type</term><description>From the TSL: <c>info</c>, <c>alert</c> or <c>error</c>; kept as text so a new type is not a failure.</description></item>
/// <item><term>Value</term><description>The event's output parameters, cloned.</description></item>
/// <item><term>Time</term><description>Epoch ms: the device's <c>time</c>, or <c>gmtCreate</c> when absent.</description></item>
/// </list>
/// </remarks>
public sealed record EventPostPayload(
    string Identifier,
    string? Name,
    string? Type,
    string ProductKey,
    string DeviceName,
    string? IotId,
    string? RequestId,
    JsonElement Value,
    long Time,
    long? GmtCreate)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    internal static PayloadResult<EventPostPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("identifier", out var identifier)
            || !f.OptionalString("name", out var name)
            || !f.OptionalString("type", out var type)
            || !f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.OptionalId("requestId", out var requestId)
            || !f.RequiredValue("value", out var value)
            || !f.OptionalInt64("gmtCreate", out var gmtCreate)
            || !f.TimeOrFallback("time", gmtCreate, out var time))
        {
            return f.Failure;
        }

        return new EventPostPayload(identifier, name, type, productKey, deviceName, iotId, requestId, value.Clone(), time, gmtCreate);
    }
}
