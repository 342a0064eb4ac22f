using IotActors.Actors.Persistence;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Configuration;

/// <summary>
/// Reads where device state lives: <c>Persistence:Provider</c> (<c>sqlite</c> | <c>postgresql</c> | <c>inmemory</c>),
/// <c>Persistence:ConnectionString</c> (PostgreSQL) and <c>DataDir</c> (the SQLite file's folder).
/// </summary>
public static class PersistenceSettings
{
    public const string ProviderKey = "Persistence:Provider";
    public const string ConnectionStringKey = "Persistence:ConnectionString";
    public const string DataDirKey = "DataDir";

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

    /// <summary>Safe to log: the provider and where, never the connection string.</summary>
    public static string Describe(DevicePersistenceOptions options) => options.Provider switch
    {
        DevicePersistenceProvider.Sqlite => $"SQLite file {Path.GetFullPath(Path.Combine(options.DataDirectory, DevicePersistenceOptions.SqliteFileName))}",
        DevicePersistenceProvider.PostgreSql => "PostgreSQL (connection string not shown)",
        _ => "in memory (state is lost when the process stops)",
    };
}
