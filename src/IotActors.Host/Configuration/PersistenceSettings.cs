using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Configuration;

/// <summary>
/// Reads where device state lives: <c>Persistence:Provider</c> (<c>sqlite</c> | <c>postgresql</c> | <c>inmemory</c>),
/// <c>Persistence:ConnectionString</c> (PostgreSQL), <c>DataDir</c> (the SQLite file's folder),
/// <c>Persistence:SqliteSynchronous</c>, <c>Persistence:SqliteGroupCommit</c>, <c>Persistence:SqliteCheckpointPages</c>,
/// <c>Persistence:SqliteBackgroundCheckpoints</c>, <c>Persistence:SqliteWriterCacheMiB</c>, and whether
/// <c>Devices:StateWrites</c> fits the store.
/// </summary>
public static class PersistenceSettings
{
    public const string ProviderKey = "Persistence:Provider";
    public const string ConnectionStringKey = "Persistence:ConnectionString";
    public const string DataDirKey = "DataDir";
    public const string StateWritesKey = "Devices:StateWrites";
    public const string SqliteSynchronousKey = "Persistence:SqliteSynchronous";
    public const string SqliteGroupCommitKey = "Persistence:SqliteGroupCommit";
    public const string SqliteCheckpointPagesKey = "Persistence:SqliteCheckpointPages";
    public const string SqliteBackgroundCheckpointsKey = "Persistence:SqliteBackgroundCheckpoints";
    public const string SqliteWriterCacheMiBKey = "Persistence:SqliteWriterCacheMiB";

    /// <summary>Sets a boolean setting when it is given; anything but true or false is an error naming it.</summary>
    private static void ReadBool(IConfiguration configuration, string key, List<string> errors, Action<bool> set)
    {
        if (configuration[key] is not { Length: > 0 } text) return;
        if (bool.TryParse(text, out var parsed))
            set(parsed);
        else
            errors.Add($"{key} is '{text}'; allowed true or false.");
    }

    /// <summary>The options, or the problems (naming the setting) that make them unusable.</summary>
    public static (DevicePersistenceOptions? Options, IReadOnlyList<string> Errors) Bind(IConfiguration configuration)
    {
        var options = new DevicePersistenceOptions();
        var errors = new List<string>();
        if (configuration[ProviderKey] is { Length: > 0 } provider)
        {
            try
            {
                options.Provider = DevicePersistenceOptions.ParseProvider(provider);
            }
            catch (ArgumentException)
            {
                errors.Add($"{ProviderKey} is '{provider}'; allowed sqlite, postgresql or inmemory.");
            }
        }
        options.ConnectionString = configuration[ConnectionStringKey] is { Length: > 0 } cs ? cs : null;
        if (configuration[DataDirKey] is { Length: > 0 } dir) options.DataDirectory = dir;
        if (configuration[SqliteSynchronousKey] is { Length: > 0 } synchronous)
        {
            if (Enum.TryParse<SqliteSynchronous>(synchronous, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
                options.SqliteSynchronous = parsed;
            else
                errors.Add($"{SqliteSynchronousKey} is '{synchronous}'; allowed Full or Normal.");
        }
        ReadBool(configuration, SqliteGroupCommitKey, errors, value => options.SqliteGroupCommit = value);
        ReadBool(configuration, SqliteBackgroundCheckpointsKey, errors, value => options.SqliteBackgroundCheckpoints = value);
        if (configuration[SqliteCheckpointPagesKey] is { Length: > 0 } pages)
        {
            if (int.TryParse(pages, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed >= 1)
                options.SqliteCheckpointPages = parsed;
            else
                errors.Add($"{SqliteCheckpointPagesKey} is '{pages}'; allowed a whole number of pages from 1 (default {DevicePersistenceOptions.DefaultSqliteCheckpointPages}).");
        }
        if (configuration[SqliteWriterCacheMiBKey] is { Length: > 0 } cache)
        {
            if (int.TryParse(cache, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                && parsed is >= 1 and <= DevicePersistenceOptions.MaxSqliteWriterCacheMiB)
                options.SqliteWriterCacheMiB = parsed;
            else
                errors.Add($"{SqliteWriterCacheMiBKey} is '{cache}'; allowed a whole number of MiB from 1 to {DevicePersistenceOptions.MaxSqliteWriterCacheMiB} (default {DevicePersistenceOptions.DefaultSqliteWriterCacheMiB}).");
        }
        if (configuration[StateWritesKey] is { Length: > 0 } writes)
        {
            if (!Enum.TryParse<DeviceStateWrites>(writes, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                errors.Add($"{StateWritesKey} is '{writes}'; allowed EveryMessage or OnStop.");
            else if (parsed == DeviceStateWrites.OnStop && options.Provider != DevicePersistenceProvider.InMemory)
                errors.Add($"{StateWritesKey} is OnStop, which keeps device state in memory between stops; it needs {ProviderKey}=inmemory.");
        }
        if (errors.Count == 0)
        {
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                // The message names the setting; it never contains the connection string itself.
                errors.Add(e.Message);
            }
        }
        return (errors.Count == 0 ? options : null, errors);
    }

    /// <summary>
    /// How device actors write state: <c>Devices:StateWrites</c> when set (checked by <see cref="Bind"/>), otherwise
    /// the store's <see cref="DevicePersistenceOptions.DefaultStateWrites"/> (<c>OnStop</c> in memory).
    /// </summary>
    public static DeviceStateWrites StateWrites(IConfiguration configuration, DevicePersistenceOptions options) =>
        configuration[StateWritesKey] is { Length: > 0 } writes && Enum.TryParse<DeviceStateWrites>(writes, ignoreCase: true, out var parsed)
            ? parsed
            : options.DefaultStateWrites;

    /// <summary>Safe to log: the provider and where, never the connection string.</summary>
    public static string Describe(DevicePersistenceOptions options) => options.Provider switch
    {
        DevicePersistenceProvider.Sqlite => $"SQLite file {Path.GetFullPath(Path.Combine(options.DataDirectory, DevicePersistenceOptions.SqliteFileName))}"
            + (options.SqliteSynchronous == SqliteSynchronous.Normal ? " (synchronous NORMAL: the last commits can be lost on power loss)" : ""),
        DevicePersistenceProvider.PostgreSql => "PostgreSQL (connection string not shown)",
        _ => "in memory (state is lost when the process stops)",
    };
}
