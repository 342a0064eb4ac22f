namespace IotActors.Platform.Messages;

/// <summary>
/// OTA progress reported by a device, <c>ota/progress/post</c> (spec §5.10).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Step</term><description>As the device sent it: 1–100 is percent done; negative values are failure codes of the device-side OTA protocol (e.g. -1 failed, -2 download failed, -3 verify failed, -4 flash failed).</description></item>
/// <item><term>Description</term><description>The <c>desc</c> field.</description></item>
/// </list>
/// </remarks>
public sealed record OtaProgressPayload(
    string ProductKey,
    string DeviceName,
    string? IotId,
    string? ModuleName,
    int Step,
    string? SourceVersion,
    string? DestinationVersion,
    string? Description,
    string? JobId,
    string? TaskId,
    long MessageCreateTime)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    public bool IsFailure => Step < 0;

    internal static PayloadResult<OtaProgressPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !f.OptionalString("moduleName", out var moduleName)
            || !f.RequiredInt32("step", out var step)
            || !f.OptionalString("srcVersion", out var srcVersion)
            || !f.OptionalString("destVersion", out var destVersion)
            || !f.OptionalString("desc", out var desc)
            || !f.OptionalId("jobId", out var jobId)
            || !f.OptionalId("taskId", out var taskId)
            || !f.RequiredInt64("messageCreateTime", out var created))
        {
            return f.Failure;
        }

        return new OtaProgressPayload(productKey, deviceName, iotId, moduleName, step, srcVersion, destVersion, desc, jobId, taskId, created);
    }
}
