using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using IotActors.Actors.Serialization;
using LinqToDB;

namespace IotActors.Actors.Persistence;

/// <summary>Akka.Hosting registration of the journal and snapshot store that make device state durable.</summary>
public static class DevicePersistenceHostingExtensions
{
    /// <summary>
    /// Akka's in-memory journal and snapshot store (Akka's own default snapshot store writes files). Device
    /// state then lives as long as the actor system; HOCON-only systems (tests) add this to their configuration.
    /// </summary>
    public static Config InMemoryConfig { get; } = ConfigurationFactory.ParseString(
        """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    /// <summary>
    /// Journals device state in the store <paramref name="options"/> names (Akka.Persistence.Sql for
    /// SQLite and PostgreSQL, creating its tables on first use) as the actor system's default journal and
    /// snapshot store, and registers the IotActors serializer, which writes the journal's events.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is missing or invalid.</exception>
    public static AkkaConfigurationBuilder WithDevicePersistence(this AkkaConfigurationBuilder builder, DevicePersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        builder.WithIotActorsSerialization();
        return options.Provider switch
        {
            DevicePersistenceProvider.InMemory => builder.AddHocon(InMemoryConfig, HoconAddMode.Prepend),
            DevicePersistenceProvider.Sqlite => builder.WithSqlPersistence(options.SqliteConnectionString(), ProviderName.SQLiteMS, autoInitialize: true),
            DevicePersistenceProvider.PostgreSql => builder.WithSqlPersistence(options.ConnectionString!, ProviderName.PostgreSQL15, autoInitialize: true),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown persistence provider."),
        };
    }
}
