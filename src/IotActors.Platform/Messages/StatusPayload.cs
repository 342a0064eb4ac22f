namespace IotActors.Platform.Messages;

/// <summary>
/// Device online/offline notice, <c>/as/mqtt/status/pk/dn</c> (spec §5.1). Notices arrive out of
/// order: order sessions by <see cref="UtcLastTime"/> and use <see cref="UtcTime"/> for the instant
/// of the change (spec §3.5).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>UtcTime</term><description>When the notice was produced: <c>utcTime</c>, or <c>time</c> read as UTC+8 when absent.</description></item>
/// <item><term>UtcLastTime</term><description>Last communication before the change: <c>utcLastTime</c>, or <c>lastTime</c> read as UTC+8. Null when the payload has neither: it is not invented from <see cref="UtcTime"/>, which would mislead session ordering.</description></item>
/// <item><term>ClientIp</term><description>The device's public IP; often absent on offline notices.</description></item>
/// </list>
/// </remarks>
public sealed record StatusPayload(
    DeviceStatus Status,
    string ProductKey,
    string DeviceName,
    string? IotId,
    DateTimeOffset UtcTime,
    DateTimeOffset? UtcLastTime,
    string? ClientIp)
{
    public DeviceId Device => new(ProductKey, DeviceName);

    internal static PayloadResult<StatusPayload> Read(PayloadFields f)
    {
        if (!f.RequiredEnum("status", ParseStatus, "online, offline", out var status)
            || !f.RequiredString("productKey", out var productKey)
            || !f.RequiredString("deviceName", out var deviceName)
            || !f.OptionalString("iotId", out var iotId)
            || !ReadTime(f, "utcTime", "time", out var utcTime)
            || !ReadTime(f, "utcLastTime", "lastTime", out var utcLastTime)
            || !f.OptionalString("clientIp", out var clientIp))
        {
            return f.Failure;
        }
        if (utcTime is null) return new PayloadFailure(PayloadError.MissingField, "'utcTime' and 'time' are both missing");

        return new StatusPayload(status, productKey, deviceName, iotId, utcTime.Value, utcLastTime, clientIp);
    }

    // Case-insensitive: the spec shows lower case, but nothing is lost by accepting "Online".
    private static DeviceStatus? ParseStatus(string text) =>
        text.Equals("online", StringComparison.OrdinalIgnoreCase) ? DeviceStatus.Online
        : text.Equals("offline", StringComparison.OrdinalIgnoreCase) ? DeviceStatus.Offline
        : null;

    /// <summary>
    /// The ISO <paramref name="utcName"/> field wins; the China-time <paramref name="localName"/> is only
    /// a fallback when it is absent. A present but unparseable field fails rather than being skipped.
    /// </summary>
    private static bool ReadTime(PayloadFields f, string utcName, string localName, out DateTimeOffset? value)
    {
        value = null;
        if (!f.OptionalString(utcName, out var utc) || !f.OptionalString(localName, out var local)) return false;

        if (utc is not null)
        {
            if (!PlatformTime.TryParseIso(utc, out var parsed))
                return f.Fail(PayloadError.InvalidValue, $"'{utcName}' is not an ISO-8601 time");
            value = parsed;
        }
        else if (local is not null)
        {
            if (!PlatformTime.TryParseChinaLocal(local, out var parsed))
                return f.Fail(PayloadError.InvalidValue, $"'{localName}' is not a 'yyyy-MM-dd HH:mm:ss.SSS' time");
            value = parsed;
        }
        return true;
    }
}
