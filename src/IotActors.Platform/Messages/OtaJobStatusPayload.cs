namespace IotActors.Platform.Messages;

/// <summary>
/// Status of an OTA batch (job), <c>/pk/{packageId}/{jobId}/ota/job/status</c> (spec §5.10). It
/// concerns a product, not a device: route it by product key.
/// </summary>
/// <remarks>
/// <c>Status</c> is <c>PLANNED</c>, <c>IN_PROGRESS</c>, <c>COMPLETED</c> or <c>CANCELED</c>, kept as text so
/// a new state is not a failure.
/// </remarks>
public sealed record OtaJobStatusPayload(
    string ProductKey,
    string? ModuleName,
    string PackageId,
    string JobId,
    string Status,
    long MessageCreateTime)
{
    internal static PayloadResult<OtaJobStatusPayload> Read(PayloadFields f)
    {
        if (!f.RequiredString("productKey", out var productKey)
            || !f.OptionalString("moduleName", out var moduleName)
            || !f.OptionalId("packageId", out var packageId)
            || !f.OptionalId("jobId", out var jobId)
            || !f.RequiredString("status", out var status)
            || !f.RequiredInt64("messageCreateTime", out var created))
        {
            return f.Failure;
        }
        // IDs may be numbers or strings, but they are required.
        if (packageId is null) return new PayloadFailure(PayloadError.MissingField, "'packageId' is missing");
        if (jobId is null) return new PayloadFailure(PayloadError.MissingField, "'jobId' is missing");

        return new OtaJobStatusPayload(productKey, moduleName, packageId, jobId, status, created);
    }
}
