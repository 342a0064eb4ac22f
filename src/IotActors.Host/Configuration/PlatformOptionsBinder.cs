using System.Globalization;
using IotActors.Host.Cli;
using IotActors.Platform.Credentials;
using IotActors.Platform.Options;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Configuration;

/// <summary>
/// Reads <see cref="PlatformOptions"/> from the <c>Platform</c> section of the configuration built by
/// <see cref="IotActorsConfiguration"/>, then validates them with <see cref="PlatformOptionsValidator"/>.
/// </summary>
/// <remarks>
/// Written by hand rather than with the configuration binder because the settings come from
/// environment variables as often as from JSON: <c>ClientIds</c> is a comma-separated list
/// (<c>IOTACTORS__PLATFORM__CLIENTIDS=node-1-0,node-1-1</c>) as well as an array (<c>ClientIds:0</c>),
/// <c>SignMethod</c>/<c>AuthMode</c> use the platform's wire names in any case, durations are seconds or
/// TimeSpan text, and every error names the setting. Values of secret settings never appear in an error.
/// </remarks>
public static class PlatformOptionsBinder
{
    /// <summary>The configuration section holding the platform settings: <c>Platform</c>.</summary>
    public const string SectionName = "Platform";

    /// <summary>The settings of the section; any other key under <c>Platform:</c> is reported as unknown (usually a typo).</summary>
    public static readonly IReadOnlyList<string> KnownSettings =
    [
        nameof(PlatformOptions.Host), nameof(PlatformOptions.Port), nameof(PlatformOptions.AccessKeyId),
        nameof(PlatformOptions.AccessKeySecret), nameof(PlatformOptions.SecurityToken), nameof(PlatformOptions.AuthMode),
        nameof(PlatformOptions.SignMethod), nameof(PlatformOptions.ConsumerGroupId), nameof(PlatformOptions.IotInstanceId),
        nameof(PlatformOptions.ClientIds), nameof(PlatformOptions.IdleTimeout), nameof(PlatformOptions.LinkCredit),
        nameof(PlatformOptions.ConnectTimeout), nameof(PlatformOptions.TrustedRootCa),
    ];

    /// <summary>
    /// True when <c>Platform:Host</c> is set: a real platform is configured. Without it, <c>run</c>
    /// starts the embedded emulator instead.
    /// </summary>
    public static bool IsPlatformConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[Key(nameof(PlatformOptions.Host))]);
    }

    /// <summary>
    /// Binds and validates the <c>Platform</c> section.
    /// </summary>
    /// <param name="configuration">The whole configuration (not the section).</param>
    /// <param name="adjust">
    /// Applied after reading and before validation, for a command's own overrides (e.g. <c>check</c>
    /// supplies a client ID when none is configured). <b>Default:</b> none.
    /// </param>
    /// <returns>
    /// The options and no errors, or null and every problem found, each naming its setting
    /// (<c>Platform:IdleTimeout is 10 s; allowed 30–300 s …</c>).
    /// </returns>
    public static (PlatformOptions? Options, IReadOnlyList<string> Errors) Bind(IConfiguration configuration, Action<PlatformOptions>? adjust = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var options = new PlatformOptions();
        var errors = new List<string>();

        foreach (var child in section.GetChildren())
        {
            if (!KnownSettings.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{Key(child.Key)} is not a known setting; known: {string.Join(", ", KnownSettings)}.");
            }
        }

        if (Text(section, nameof(PlatformOptions.Host)) is { } host) options.Host = host;
        if (Integer(section, nameof(PlatformOptions.Port), errors) is { } port) options.Port = port;
        if (Text(section, nameof(PlatformOptions.AccessKeyId)) is { } keyId) options.AccessKeyId = keyId;
        // Secrets are taken verbatim: trimming would silently change the signature.
        if (Secret(section, nameof(PlatformOptions.AccessKeySecret)) is { } secret) options.AccessKeySecret = secret;
        if (Secret(section, nameof(PlatformOptions.SecurityToken)) is { } token) options.SecurityToken = token;
        if (Text(section, nameof(PlatformOptions.AuthMode)) is { } authMode)
        {
            if (AuthModes.TryParse(authMode, out var mode)) options.AuthMode = mode;
            else errors.Add($"{Key(nameof(PlatformOptions.AuthMode))} is '{authMode}'; allowed aksign or ststoken (any case).");
        }
        if (Text(section, nameof(PlatformOptions.SignMethod)) is { } signMethod)
        {
            if (SignMethods.TryParse(signMethod, out var method)) options.SignMethod = method;
            else errors.Add($"{Key(nameof(PlatformOptions.SignMethod))} is '{signMethod}'; allowed hmacmd5, hmacsha1 or hmacsha256 (any case).");
        }
        if (Text(section, nameof(PlatformOptions.ConsumerGroupId)) is { } group) options.ConsumerGroupId = group;
        if (Text(section, nameof(PlatformOptions.IotInstanceId)) is { } instance) options.IotInstanceId = instance;
        if (ClientIds(configuration, section) is { } clientIds) options.ClientIds = clientIds;
        if (Duration(section, nameof(PlatformOptions.IdleTimeout), errors) is { } idle) options.IdleTimeout = idle;
        if (Integer(section, nameof(PlatformOptions.LinkCredit), errors) is { } credit) options.LinkCredit = credit;
        if (Duration(section, nameof(PlatformOptions.ConnectTimeout), errors) is { } connect) options.ConnectTimeout = connect;
        if (Text(section, nameof(PlatformOptions.TrustedRootCa)) is { } ca) options.TrustedRootCa = ca;

        adjust?.Invoke(options);

        // Validate even after read errors, so one run reports every problem; a setting that failed to
        // read keeps its default and is not reported twice.
        errors.AddRange(PlatformOptionsValidator.Validate(options));
        return errors.Count == 0 ? (options, errors) : (null, errors);
    }

    /// <summary>
    /// One line for logs: endpoint, group, instance, client IDs, modes and AccessKey ID, with the secret
    /// and any STS token masked (<see cref="PlatformOptions.ToString"/>), plus the trusted root CA file.
    /// </summary>
    public static string DescribePlatform(PlatformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var description = options.ToString();
        if (!string.IsNullOrEmpty(options.SecurityToken)) description += " securityToken=***";
        if (!string.IsNullOrEmpty(options.TrustedRootCa)) description += $" trustedRootCa={options.TrustedRootCa}";
        return description;
    }

    /// <summary>The full configuration key of a platform setting, e.g. <c>Platform:Host</c>.</summary>
    public static string Key(string setting) => SectionName + ConfigurationPath.KeyDelimiter + setting;

    private static string? Text(IConfigurationSection section, string name) =>
        section[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? Secret(IConfigurationSection section, string name) =>
        section[name] is { Length: > 0 } value ? value : null;

    private static int? Integer(IConfigurationSection section, string name, List<string> errors)
    {
        if (Text(section, name) is not { } text) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add($"{Key(name)} is '{text}'; expected a whole number.");
        return null;
    }

    /// <summary>Seconds as a number (<c>60</c>, <c>0.5</c>), a unit (<c>60s</c>, <c>500ms</c>, <c>2m</c>) or TimeSpan text (<c>00:01:00</c>).</summary>
    private static TimeSpan? Duration(IConfigurationSection section, string name, List<string> errors)
    {
        if (Text(section, name) is not { } text) return null;
        // A bare number is seconds; TimeSpan would read "60" as sixty days.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (double.IsFinite(seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds) return TimeSpan.FromSeconds(seconds);
        }
        else if (Durations.TryParse(text, out var value))
        {
            return value;
        }
        errors.Add($"{Key(name)} is '{text}'; expected seconds (60), a duration (60s, 500ms, 2m) or TimeSpan text (00:01:00).");
        return null;
    }

    /// <summary>
    /// A comma-separated value (<c>ClientIds=a,b</c>) or an array (<c>ClientIds:0=a</c>). When both forms
    /// are present, the one from the highest configuration layer wins, as for any other setting.
    /// </summary>
    private static List<string>? ClientIds(IConfiguration configuration, IConfigurationSection section)
    {
        var path = section.Path + ConfigurationPath.KeyDelimiter + nameof(PlatformOptions.ClientIds);
        var listSection = section.GetSection(nameof(PlatformOptions.ClientIds));
        var items = listSection.GetChildren().Where(c => c.Value is not null).ToList();
        var scalar = listSection.Value;

        bool? useScalar = configuration is IConfigurationRoot root
            ? ScalarWins(root, path)
            : scalar is null && items.Count == 0 ? null : !string.IsNullOrWhiteSpace(scalar) || items.Count == 0;
        if (useScalar is null) return null;

        var values = useScalar.Value
            ? (scalar ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : items.OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
                .Select(c => c.Value!.Trim())
                .Where(v => v.Length > 0);
        return [.. values];
    }

    /// <summary>True: the comma form decides; false: the array form; null: neither is set anywhere.</summary>
    private static bool? ScalarWins(IConfigurationRoot root, string path)
    {
        // Providers are in layer order; the last one that mentions the setting in either form decides.
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.GetChildKeys([], path).Any()) return false;
            if (provider.TryGet(path, out _)) return true;
        }
        return null;
    }
}
