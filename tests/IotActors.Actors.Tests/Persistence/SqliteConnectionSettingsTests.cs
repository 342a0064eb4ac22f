using IotActors.Actors.Persistence;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>What every connection of the SQLite journal runs when it opens, read back from SQLite itself.</summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iotactors-pragma-" + Guid.NewGuid().ToString("N")[..12]);

    [Theory]
    [InlineData(SqliteSynchronous.Full, 2L)]
    [InlineData(SqliteSynchronous.Normal, 1L)]
    public void Connections_run_in_wal_mode_with_a_busy_timeout_and_the_chosen_synchronous(SqliteSynchronous synchronous, long expected)
    {
        var options = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _directory, SqliteSynchronous = synchronous };
        using var connection = new DataConnection(DevicePersistenceHostingExtensions.SqliteDataOptions(options.SqliteConnectionString(), synchronous));

        Assert.Equal(expected, connection.Execute<long>("PRAGMA synchronous"));
        Assert.Equal("wal", connection.Execute<string>("PRAGMA journal_mode"));
        Assert.Equal(DevicePersistenceHostingExtensions.SqliteBusyTimeoutMs, connection.Execute<long>("PRAGMA busy_timeout"));
        Assert.Equal(DevicePersistenceOptions.DefaultSqliteCheckpointPages, connection.Execute<long>("PRAGMA wal_autocheckpoint"));
    }

    [Fact]
    public void Connections_checkpoint_after_the_chosen_number_of_pages()
    {
        var options = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _directory, SqliteCheckpointPages = 3000 };
        using var connection = new DataConnection(DevicePersistenceHostingExtensions.SqliteDataOptions(options.SqliteConnectionString(), options.SqliteSynchronous, options.SqliteCheckpointPages));

        Assert.Equal(3000L, connection.Execute<long>("PRAGMA wal_autocheckpoint"));
    }

    [Fact]
    public void Checkpoint_pages_below_one_are_refused_by_validation()
    {
        var options = new DevicePersistenceOptions { SqliteCheckpointPages = 0 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains("SqliteCheckpointPages", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(DevicePersistenceOptions.MaxSqliteWriterCacheMiB + 1)]
    public void A_writer_cache_outside_its_range_is_refused_by_validation(int mib)
    {
        var options = new DevicePersistenceOptions { SqliteWriterCacheMiB = mib };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains("SqliteWriterCacheMiB", error.Message);
    }

    [Fact]
    public void Synchronous_outside_the_enum_is_refused_by_validation()
    {
        var options = new DevicePersistenceOptions { SqliteSynchronous = (SqliteSynchronous)7 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains("SqliteSynchronous", error.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
