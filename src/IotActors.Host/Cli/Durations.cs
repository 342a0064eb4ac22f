using System.Globalization;
using System.CommandLine.Parsing;

namespace IotActors.Host.Cli;

/// <summary>Parses durations as people type them on a command line: <c>30s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c>, or a TimeSpan (<c>00:00:30</c>).</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        (string suffix, double factorMs)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                value = TimeSpan.FromMilliseconds(n * factor);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    /// <summary>For <c>Option&lt;TimeSpan&gt;.CustomParser</c>: reports a readable error instead of throwing.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (TryParse(token, out var value)) return value;
        result.AddError($"'{token}' is not a duration; use e.g. 30s, 500ms, 2m or 00:00:30.");
        return default;
    }
}
