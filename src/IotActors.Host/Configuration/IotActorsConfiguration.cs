using System.Collections;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Configuration;

/// <summary>
/// The configuration of the <c>iot-actors</c> executable, built the .NET way from layers where a later
/// layer wins over an earlier one:
/// <list type="number">
/// <item>built-in defaults (the property initialisers of the options classes, e.g. <c>Platform:Port</c> 5671);</item>
/// <item><c>appsettings.json</c> next to the executable, then <c>appsettings.json</c> in the base path
/// (by default the current directory); both optional;</item>
/// <item>environment variables with the prefix <see cref="EnvironmentPrefix"/>, <c>__</c> separating
/// sections: <c>IOTACTORS__PLATFORM__HOST</c> becomes <c>Platform:Host</c>;</item>
/// <item>command-line overrides in the configuration style: <c>--Platform:Host=…</c>,
/// <c>--Platform:Host …</c> or <c>Platform:Host=…</c>.</item>
/// </list>
/// </summary>
/// <remarks>
/// Secrets (<c>Platform:AccessKeySecret</c>, <c>Platform:SecurityToken</c>) belong in environment
/// variables or a secret store, not in <c>appsettings.json</c> and not on a command line, where
/// <c>ps</c> and shell history show them.
/// </remarks>
public static class IotActorsConfiguration
{
    /// <summary>Prefix of the environment variables read as configuration, case-insensitive: <c>IOTACTORS__</c>.</summary>
    public const string EnvironmentPrefix = "IOTACTORS__";

    /// <summary>Name of the optional JSON settings file: <c>appsettings.json</c>.</summary>
    public const string SettingsFileName = "appsettings.json";

    /// <summary>
    /// Builds the configuration from the executable's <c>appsettings.json</c>, the one in
    /// <paramref name="basePath"/>, the process environment and <paramref name="args"/>.
    /// </summary>
    /// <param name="args">Configuration-style overrides (<c>--Platform:Host=…</c>); tokens that are not settings are ignored.</param>
    /// <param name="basePath">Directory of the second <c>appsettings.json</c>. <b>Default:</b> the current directory.</param>
    /// <exception cref="InvalidDataException">An <c>appsettings.json</c> is not valid JSON (the message names the file).</exception>
    public static IConfigurationRoot Build(string[] args, string? basePath = null) =>
        Build(args, basePath, environment: null);

    /// <summary>
    /// As <see cref="Build(string[], string?)"/>, with <paramref name="environment"/> standing in for the
    /// process environment when it is not null: the same names (<c>IOTACTORS__PLATFORM__HOST</c>) and the
    /// same mapping, without touching the real environment (for tests running in parallel).
    /// </summary>
    /// <param name="args">Configuration-style overrides (<c>--Platform:Host=…</c>).</param>
    /// <param name="basePath">Directory of the second <c>appsettings.json</c>. <b>Default:</b> the current directory.</param>
    /// <param name="environment">Environment variables by name; null reads the process environment.</param>
    public static IConfigurationRoot Build(string[] args, string? basePath, IReadOnlyDictionary<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = new ConfigurationBuilder();
        foreach (var directory in SettingsDirectories(basePath))
        {
            builder.AddJsonFile(Path.Combine(directory, SettingsFileName), optional: true, reloadOnChange: false);
        }

        if (environment is null) builder.AddEnvironmentVariables(EnvironmentPrefix);
        else builder.AddInMemoryCollection(FromEnvironment(environment));

        builder.AddCommandLine(args);
        return builder.Build();
    }

    /// <summary>
    /// The settings an environment would contribute: names starting with <see cref="EnvironmentPrefix"/>
    /// (case-insensitive), prefix removed, <c>__</c> turned into <c>:</c> — what
    /// <c>AddEnvironmentVariables(prefix)</c> does with the real environment.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IEnumerable<KeyValuePair<string, string?>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (name, value) in environment)
        {
            if (name.Length > EnvironmentPrefix.Length && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new(name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), value);
            }
        }
    }

    /// <summary>The process environment as a dictionary, e.g. to compare with an injected one.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }
        return variables;
    }

    /// <summary>The executable's directory, then the base path, each once.</summary>
    private static IEnumerable<string> SettingsDirectories(string? basePath)
    {
        var executable = Path.GetFullPath(AppContext.BaseDirectory);
        var local = Path.GetFullPath(basePath ?? Directory.GetCurrentDirectory());
        yield return executable;
        if (!string.Equals(Path.TrimEndingDirectorySeparator(executable), Path.TrimEndingDirectorySeparator(local), StringComparison.Ordinal))
        {
            yield return local;
        }
    }
}
