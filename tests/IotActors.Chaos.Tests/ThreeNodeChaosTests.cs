using IotActors.Actors.Persistence;
using IotActors.Actors.Tests.Persistence;
using Xunit.Abstractions;

namespace IotActors.Chaos.Tests;

/// <summary>Three nodes sharing one SQLite file (as scripts/cluster-local.sh runs them); nodes also crash, stop and restart.</summary>
public sealed class ThreeNodeSqliteChaosTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("iotactors-chaos-").FullName;

    [Fact]
    public async Task Nothing_is_lost_or_applied_twice_when_nodes_crash_stop_and_restart_under_faults() =>
        await new ChaosScenario(output) { Nodes = 3, ClientIds = ["chaos-0", "chaos-1", "chaos-2"] }.RunAsync("3 nodes, SQLite",
            new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _directory });

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>Three nodes on PostgreSQL, the production cluster setup; nodes also crash, stop and restart.</summary>
public sealed class ThreeNodePostgresChaosTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [SkippableFact]
    public async Task Nothing_is_lost_or_applied_twice_when_nodes_crash_stop_and_restart_under_faults()
    {
        postgres.Require();
        await new ChaosScenario(output) { Nodes = 3, ClientIds = ["chaos-0", "chaos-1", "chaos-2"] }.RunAsync("3 nodes, PostgreSQL",
            new DevicePersistenceOptions { Provider = DevicePersistenceProvider.PostgreSql, ConnectionString = postgres.ConnectionString });
    }
}
