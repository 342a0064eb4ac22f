namespace IotActors.Bench.Scenarios;

/// <summary>The fresh SQLite folder a durable scenario or probe writes to, and its removal once its node has stopped.</summary>
internal static class SqliteScratch
{
    /// <summary>A new folder path under the temp directory, not yet created (the node's store creates it).</summary>
    public static string NewDirectory(string prefix) => Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Deletes <paramref name="directory"/> when it exists; pooled connections are closed first so the files can go.</summary>
    public static void Delete(string? directory)
    {
        if (directory is null || !Directory.Exists(directory)) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { } // a file still held open: left in the temp directory rather than failing the run
    }
}
