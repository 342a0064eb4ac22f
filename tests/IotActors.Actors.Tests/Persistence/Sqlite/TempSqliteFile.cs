using IotActors.Actors.Persistence;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Tests.Persistence.Sqlite;

/// <summary>
/// A SQLite file of a test's own in a fresh temporary folder, created with the store's pragmas and the given schema;
/// removed with its folder (and the pooled connections to it) on dispose.
/// </summary>
internal sealed class TempSqliteFile : IDisposable
{
    public TempSqliteFile(string prefix, string schema)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "journal.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path }.ToString();
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = DevicePersistenceHostingExtensions.SqlitePragmas(SqliteSynchronous.Full) + schema;
        command.ExecuteNonQuery();
    }

    /// <summary>The folder the file is in (tests may put more in it).</summary>
    public string Directory { get; }

    public string Path { get; }

    public string ConnectionString { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
