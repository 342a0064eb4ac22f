using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace IotActors.Host.Http;

/// <summary>
/// The query of <c>GET /api/devices</c>: <c>product</c> (optional filter), <c>page</c> (1-based,
/// <b>Default:</b> 1) and <c>pageSize</c> (<b>Default:</b> <see cref="DefaultPageSize"/>, at most
/// <see cref="MaxPageSize"/>).
/// </summary>
public sealed record DeviceListQuery(string? Product, int Page, int PageSize)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    private static readonly string[] Known = ["product", "page", "pageSize"];

    /// <summary>
    /// Reads the query string; null with an <paramref name="error"/> fit for a 400 answer when a value is
    /// malformed, repeated or unknown. An empty <c>product</c> means all products.
    /// </summary>
    public static DeviceListQuery? Parse(IEnumerable<KeyValuePair<string, StringValues>> query, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in query)
        {
            // Unknown keys are refused so a typo ("prodcut=") does not silently list every device.
            if (!Known.Contains(key, StringComparer.OrdinalIgnoreCase))
                return Fail($"unknown query parameter '{Shown(key)}'; allowed: product, page, pageSize", out error);
            if (value.Count != 1 || values.ContainsKey(key))
                return Fail($"query parameter '{key}' must be given once", out error);
            values[key] = value[0];
        }

        var product = values.GetValueOrDefault("product") is { Length: > 0 } p ? p : null;
        if (product is not null && !HttpApi.ValidName(product))
            return Fail($"product must be a productKey: 1–{HttpApi.MaxNameLength} characters without '/' or control characters", out error);
        if (!TryNumber(values.GetValueOrDefault("page"), 1, out var page) || page < 1)
            return Fail("page must be a whole number, 1 or more", out error);
        if (!TryNumber(values.GetValueOrDefault("pageSize"), DefaultPageSize, out var pageSize) || pageSize is < 1 or > MaxPageSize)
            return Fail($"pageSize must be a whole number from 1 to {MaxPageSize}", out error);

        error = null;
        return new DeviceListQuery(product, page, pageSize);
    }

    /// <summary>Absent or empty means the default; otherwise plain decimal digits only (no sign, no spaces).</summary>
    private static bool TryNumber(string? text, int fallback, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static DeviceListQuery? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }

    // A key is echoed only when it is short and printable: the reason must stay readable and harmless.
    private static string Shown(string key) => key.Length <= 32 && !key.Any(char.IsControl) ? key : "…";
}
