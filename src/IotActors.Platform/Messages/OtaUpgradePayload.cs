namespace IotActors.Platform.Messages;

/// <summary>
/// Result of a device's OTA update, <c>ota/upgrade</c> (spec §5.10).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Status</term><description><c>SUCCEEDED</c> or <c>FAILED</c>; newer pages mention cancellation, so it is kept as text.</description></item>
/// <item><term>Description</term><description>The <c>desc</c> field: why it failed, or a note.</description></item>
/// </list>
/// </remarks>
public sealed record OtaUpgradePayload(
    string ProductKey,
    string DeviceName,
    string? IotId,
    string Status,
    string? ModuleName,
    string? SourceVersion,
    string? DestinationVersion,
    string? Description,
    string? JobId,
    string? TaskId,
    long MessageCreateTime)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    public bool Succeeded => Status.Equals("SUCCEEDED", StringComparison.OrdinalIgnoreCase);

    internal static PayloadResult<OtaUpgradePayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.RequiredString("status", out var status)
            || !f.OptionalString("moduleName", out var moduleName)
            || !f.OptionalString("srcVersion", out var srcVersion)
            || !f.OptionalString("destVersion", out var destVersion)
            || !f.OptionalString("desc", out var desc)
            || !f.OptionalId("jobId", out var jobId)
            || !f.OptionalId("taskId", out var taskId)
            || !f.RequiredInt64("messageCreateTime", out var created))
        {
            return f.Failure;
        }

        return new OtaUpgradePayload(productKey, deviceName, iotId, status, moduleName, srcVersion, destVersion, desc, jobId, taskId, created);
    }
}
