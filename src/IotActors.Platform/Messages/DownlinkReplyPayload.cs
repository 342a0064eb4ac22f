using System.Text.Json;

namespace IotActors.Platform.Messages;

/// <summary>
/// A device's reply to a cloud request (property set, service call) or an asynchronous delivery
/// error, <c>thing/downlink/reply/message</c> (spec §5.6).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Code</term><description>200 success; 400 request error, 460 parameter error, 429 too many requests, 9200 device not activated, 9201 device offline, 403 forbidden (overdue account).</description></item>
/// <item><term>RequestId</term><description>The <c>id</c> of the cloud request this answers.</description></item>
/// <item><term>Topic</term><description>The device-side request topic, e.g. <c>/sys/pk/dn/thing/service/property/set</c>.</description></item>
/// <item><term>Data</term><description>The reply's <c>data</c>, cloned; null when absent.</description></item>
/// </list>
/// </remarks>
public sealed record DownlinkReplyPayload(
    string ProductKey,
    string DeviceName,
    string? IotId,
    string? RequestId,
    int Code,
    string? Message,
    string? Topic,
    JsonElement? Data,
    long? GmtCreate)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    public bool IsSuccess => Code == 200;

    internal static PayloadResult<DownlinkReplyPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.OptionalId("requestId", out var requestId)
            || !f.RequiredInt32("code", out var code)
            || !f.OptionalString("message", out var message)
            || !f.OptionalString("topic", out var topic)
            || !f.OptionalValue("data", out var data)
            || !f.OptionalInt64("gmtCreate", out var gmtCreate))
        {
            return f.Failure;
        }

        return new DownlinkReplyPayload(productKey, deviceName, iotId, requestId, code, message, topic, data?.Clone(), gmtCreate);
    }
}
