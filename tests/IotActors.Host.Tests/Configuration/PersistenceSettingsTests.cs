using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Tests.Configuration;

public class PersistenceSettingsTests
{
    [Theory]
    [InlineData("inmemory", DeviceStateWrites.OnStop)]
    [InlineData("sqlite", DeviceStateWrites.EveryMessage)]
    public void Device_state_writes_follow_the_store_unless_configured(string provider, DeviceStateWrites expected)
    {
        var configuration = Configuration(("Persistence:Provider", provider));

        var (options, errors) = PersistenceSettings.Bind(configuration);

        Assert.Empty(errors);
        Assert.Equal(expected, PersistenceSettings.StateWrites(configuration, options!));
    }

    [Fact]
    public void In_memory_store_can_still_journal_every_message()
    {
        var configuration = Configuration(("Persistence:Provider", "inmemory"), ("Devices:StateWrites", "everymessage"));

        var (options, errors) = PersistenceSettings.Bind(configuration);

        Assert.Empty(errors);
        Assert.Equal(DeviceStateWrites.EveryMessage, PersistenceSettings.StateWrites(configuration, options!));
    }

    [Fact]
    public void Writes_on_stop_with_a_durable_store_are_refused_naming_both_settings()
    {
        var (options, errors) = PersistenceSettings.Bind(Configuration(("Persistence:Provider", "sqlite"), ("Devices:StateWrites", "OnStop")));

        Assert.Null(options);
        var error = Assert.Single(errors);
        Assert.Contains("Devices:StateWrites", error);
        Assert.Contains("Persistence:Provider=inmemory", error);
    }

    [Fact]
    public void Unknown_state_writes_value_is_refused()
    {
        var (options, errors) = PersistenceSettings.Bind(Configuration(("Persistence:Provider", "inmemory"), ("Devices:StateWrites", "sometimes")));

        Assert.Null(options);
        Assert.Contains("EveryMessage or OnStop", Assert.Single(errors));
    }

    [Fact]
    public void Default_store_is_sqlite_and_journals_every_message()
    {
        var configuration = Configuration();

        var (options, errors) = PersistenceSettings.Bind(configuration);

        Assert.Empty(errors);
        Assert.Equal(DevicePersistenceProvider.Sqlite, options!.Provider);
        Assert.Equal(DeviceStateWrites.EveryMessage, PersistenceSettings.StateWrites(configuration, options));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    [InlineData("True", true)]
    public void Sqlite_group_commit_is_read_and_on_by_default(string? value, bool expected)
    {
        var settings = value is null ? Configuration() : Configuration(("Persistence:SqliteGroupCommit", value));

        var (options, errors) = PersistenceSettings.Bind(settings);

        Assert.Empty(errors);
        Assert.Equal(expected, options!.SqliteGroupCommit);
    }

    [Theory]
    [InlineData("Persistence:SqliteGroupCommit")]
    [InlineData("Persistence:SqliteBackgroundCheckpoints")]
    public void A_sqlite_switch_that_is_not_a_boolean_is_refused_naming_the_setting(string key)
    {
        var (options, errors) = PersistenceSettings.Bind(Configuration((key, "yes")));

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains(key) && e.Contains("'yes'"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public void Sqlite_background_checkpoints_are_read_and_on_by_default(string? value, bool expected)
    {
        var (options, errors) = PersistenceSettings.Bind(value is null ? Configuration() : Configuration(("Persistence:SqliteBackgroundCheckpoints", value)));

        Assert.Empty(errors);
        Assert.Equal(expected, options!.SqliteBackgroundCheckpoints);
    }

    [Theory]
    [InlineData(null, SqliteSynchronous.Full)]
    [InlineData("normal", SqliteSynchronous.Normal)]
    [InlineData("Full", SqliteSynchronous.Full)]
    public void Sqlite_synchronous_is_read_and_full_by_default(string? value, SqliteSynchronous expected)
    {
        var settings = value is null ? Configuration() : Configuration(("Persistence:SqliteSynchronous", value));

        var (options, errors) = PersistenceSettings.Bind(settings);

        Assert.Empty(errors);
        Assert.Equal(expected, options!.SqliteSynchronous);
        Assert.Equal(expected == SqliteSynchronous.Normal, PersistenceSettings.Describe(options).Contains("power loss"));
    }

    [Fact]
    public void Unknown_sqlite_synchronous_value_is_refused()
    {
        var (options, errors) = PersistenceSettings.Bind(Configuration(("Persistence:SqliteSynchronous", "off")));

        Assert.Null(options);
        Assert.Contains("Full or Normal", Assert.Single(errors));
    }

    [Theory]
    [InlineData("Persistence:SqliteCheckpointPages", null, DevicePersistenceOptions.DefaultSqliteCheckpointPages)]
    [InlineData("Persistence:SqliteCheckpointPages", "1000", 1000)]
    [InlineData("Persistence:SqliteCheckpointPages", "65536", 65536)]
    [InlineData("Persistence:SqliteWriterCacheMiB", null, DevicePersistenceOptions.DefaultSqliteWriterCacheMiB)]
    [InlineData("Persistence:SqliteWriterCacheMiB", "1", 1)]
    [InlineData("Persistence:SqliteWriterCacheMiB", "512", 512)]
    public void Whole_number_sqlite_settings_are_read_with_a_default(string key, string? value, int expected)
    {
        var settings = value is null ? Configuration() : Configuration((key, value));

        var (options, errors) = PersistenceSettings.Bind(settings);

        Assert.Empty(errors);
        Assert.Equal(expected, key.EndsWith("CheckpointPages", StringComparison.Ordinal) ? options!.SqliteCheckpointPages : options!.SqliteWriterCacheMiB);
    }

    [Theory]
    [InlineData("Persistence:SqliteCheckpointPages", "0")]
    [InlineData("Persistence:SqliteCheckpointPages", "-5")]
    [InlineData("Persistence:SqliteCheckpointPages", "64MB")]
    [InlineData("Persistence:SqliteWriterCacheMiB", "0")]
    [InlineData("Persistence:SqliteWriterCacheMiB", "-5")]
    [InlineData("Persistence:SqliteWriterCacheMiB", "64MB")]
    [InlineData("Persistence:SqliteWriterCacheMiB", "16385")]
    public void Whole_number_sqlite_settings_outside_their_range_are_refused_naming_the_setting(string key, string value)
    {
        var (options, errors) = PersistenceSettings.Bind(Configuration((key, value)));

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains(key) && e.Contains($"'{value}'"));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
