using System.Globalization;

namespace IotActors.Platform.Messages;

/// <summary>The two time notations of status payloads (spec §5.1).</summary>
internal static class PlatformTime
{
    /// <summary>
    /// The zone-less <c>time</c>/<c>lastTime</c> strings equal the <c>utc*</c> values plus 8 hours in
    /// every vendor example: China Standard Time, which has no daylight saving.
    /// </summary>
    public static readonly TimeSpan ChinaStandardOffset = TimeSpan.FromHours(8);

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
    ];

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss",
    ];

    /// <summary><c>utcTime</c>: ISO-8601 with <c>Z</c> or an offset; without a zone it is taken as UTC.</summary>
    public static bool TryParseIso(string text, out DateTimeOffset value)
    {
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary><c>time</c>: <c>yyyy-MM-dd HH:mm:ss.SSS</c> in China Standard Time, returned in UTC.</summary>
    public static bool TryParseChinaLocal(string text, out DateTimeOffset value)
    {
        // The ticks check keeps 0001-01-01 from underflowing when the offset is taken off.
        if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            && local.Ticks >= ChinaStandardOffset.Ticks)
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaStandardOffset).ToUniversalTime();
            return true;
        }
        value = default;
        return false;
    }
}
