using IotActors.Platform.Credentials;

namespace IotActors.Platform.Options;

/// <summary>Checks <see cref="PlatformOptions"/> once at startup; every message names the setting and its allowed range.</summary>
public static class PlatformOptionsValidator
{
    public static readonly TimeSpan MinIdleTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromSeconds(300);
    public const int MaxLinkCredit = 10_000;

    /// <summary>Every problem found; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(PlatformOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Host)) errors.Add("Platform:Host is required (the AMQP endpoint host name).");
        if (o.Port is < 1 or > 65535) errors.Add($"Platform:Port is {o.Port}; allowed 1–65535 (the platform uses 5671).");
        if (string.IsNullOrWhiteSpace(o.AccessKeyId)) errors.Add("Platform:AccessKeyId is required.");
        if (string.IsNullOrEmpty(o.AccessKeySecret)) errors.Add("Platform:AccessKeySecret is required.");
        if (string.IsNullOrWhiteSpace(o.ConsumerGroupId)) errors.Add("Platform:ConsumerGroupId is required.");
        else if (HasDelimiter(o.ConsumerGroupId)) errors.Add("Platform:ConsumerGroupId must not contain '|', ',' or '='.");
        if (o.IotInstanceId is { Length: > 0 } id && HasDelimiter(id)) errors.Add("Platform:IotInstanceId must not contain '|', ',' or '='.");
        if (HasDelimiter(o.AccessKeyId)) errors.Add("Platform:AccessKeyId must not contain '|', ',' or '='.");
        if (o.AuthMode == AuthMode.StsToken && string.IsNullOrEmpty(o.SecurityToken))
            errors.Add("Platform:SecurityToken is required when Platform:AuthMode is StsToken.");
        if (o.SecurityToken is { Length: > 0 } && o.SecurityToken.IndexOfAny(['|', ',']) >= 0)
            errors.Add("Platform:SecurityToken must not contain '|' or ','.");

        if (o.ClientIds.Count == 0) errors.Add("Platform:ClientIds needs at least one client ID (one connection each).");
        if (o.ClientIds.Count > 128) errors.Add($"Platform:ClientIds has {o.ClientIds.Count} entries; allowed 1–128 connections per client process.");
        foreach (var c in o.ClientIds)
        {
            if (string.IsNullOrEmpty(c) || c.Length > UserName.MaxClientIdLength)
                errors.Add($"Platform:ClientIds entry '{c}' has {c?.Length ?? 0} characters; allowed 1–{UserName.MaxClientIdLength}.");
            else if (c.IndexOfAny(UserName.ForbiddenClientIdChars) >= 0)
                errors.Add($"Platform:ClientIds entry '{c}' contains '|', ',' or '=', which the userName grammar forbids.");
        }
        foreach (var dup in o.ClientIds.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add($"Platform:ClientIds lists '{dup.Key}' {dup.Count()} times; each client ID must be unique.");

        if (o.IdleTimeout < MinIdleTimeout || o.IdleTimeout > MaxIdleTimeout)
            errors.Add($"Platform:IdleTimeout is {o.IdleTimeout.TotalSeconds:0.###} s; allowed 30–300 s (the value the platform sees in the Open frame).");
        if (o.LinkCredit is < 1 or > MaxLinkCredit)
            errors.Add($"Platform:LinkCredit is {o.LinkCredit}; allowed 1–{MaxLinkCredit}.");
        if (o.ConnectTimeout <= TimeSpan.Zero || o.ConnectTimeout > TimeSpan.FromSeconds(15))
            errors.Add($"Platform:ConnectTimeout is {o.ConnectTimeout.TotalSeconds:0.###} s; allowed above 0 up to 15 s (the platform's attach rule).");
        if (o.TrustedRootCa is { Length: > 0 } ca && !File.Exists(ca))
            errors.Add($"Platform:TrustedRootCa file '{ca}' does not exist.");
        return errors;
    }

    /// <summary>Throws <see cref="PlatformOptionsException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(PlatformOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0) throw new PlatformOptionsException(errors);
    }

    private static bool HasDelimiter(string s) => s.IndexOfAny(UserName.ForbiddenClientIdChars) >= 0;
}

/// <summary>Invalid <see cref="PlatformOptions"/>: the message lists each setting at fault with its allowed range.</summary>
public sealed class PlatformOptionsException(IReadOnlyList<string> errors)
    : Exception("Invalid platform options: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
