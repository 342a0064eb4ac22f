namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>Quoting of the table and column names that come from configuration.</summary>
internal static class SqliteNames
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public static string Table(string? schema, string table) => schema is null ? Quote(table) : Quote(schema) + "." + Quote(table);
}
