using IotActors.Actors.Persistence;
using IotActors.Actors.Tests.Persistence;
using Xunit.Abstractions;

namespace IotActors.Chaos.Tests;

/// <summary>One node (a cluster of one), device state in a SQLite file.</summary>
public sealed class SingleNodeSqliteChaosTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("iotactors-chaos-").FullName;

    [Fact]
    public async Task Nothing_is_lost_or_applied_twice_under_network_platform_and_actor_faults() =>
        await new ChaosScenario(output) { Nodes = 1 }.RunAsync("1 node, SQLite",
            new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _directory });

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>One node, device state in PostgreSQL.</summary>
public sealed class SingleNodePostgresChaosTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [SkippableFact]
    public async Task Nothing_is_lost_or_applied_twice_under_network_platform_and_actor_faults()
    {
        postgres.Require();
        await new ChaosScenario(output) { Nodes = 1 }.RunAsync("1 node, PostgreSQL",
            new DevicePersistenceOptions { Provider = DevicePersistenceProvider.PostgreSql, ConnectionString = postgres.ConnectionString });
    }
}
