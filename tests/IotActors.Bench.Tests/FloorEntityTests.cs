using Akka.Actor;
using Amqp;
using Amqp.Framing;
using IotActors.Actors.Persistence;
using IotActors.Bench.Probes;
using IotActors.Bench.Scenarios;
using Microsoft.Data.Sqlite;

namespace IotActors.Bench.Tests;

/// <summary>
/// Akka's floor (the <c>akka-floor</c> scenarios and the idle floor): its entities are reached by the devices' entity
/// IDs, and the persisting one answers only once its event is in the durable node's SQLite journal — otherwise the
/// durable floor would measure no store at all.
/// </summary>
public sealed class FloorEntityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iotactors-floor-tests-" + Guid.NewGuid().ToString("N")[..8]);

    [Theory]
    [InlineData("/a1BenchPk/dev-0000001/thing/event/property/post", "a1BenchPk/dev-0000001")]
    [InlineData("/a1Bc/dev01/user/raw", "a1Bc/dev01")]
    public void The_entity_is_the_product_key_and_device_name_of_the_topic(string topic, string entity)
    {
        var message = new Message { ApplicationProperties = new ApplicationProperties() };
        message.ApplicationProperties["topic"] = topic;

        Assert.Equal(entity, AkkaFloorConsumer.EntityIdOf(message));
    }

    [Fact]
    public async Task A_persisting_entity_answers_each_delivery_once_its_body_is_journaled()
    {
        const string device = "a1BenchPk/dev-0000007";
        byte[][] bodies = [[1, 2, 3], [4, 5], [6]];
        var node = await PipelineNode.StartAsync(new PipelineNodeOptions
        {
            Persistence = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _directory },
        });
        FanOutResult answered;
        try
        {
            var region = await FloorEntities.StartRegionAsync(node.System, persistent: true);
            // One at a time; when the n-th answer arrives, n events must be committed (read through a connection of our own).
            var answers = 0;
            answered = await FanOut.RunAsync(node.System, region, bodies.Length,
                i => new FloorWork(device, bodies[i], "link", i, 0),
                reply => reply is FloorWork && JournalRows(Uri.EscapeDataString(device)) == ++answers, TimeSpan.FromSeconds(60), window: 1);
        }
        finally
        {
            await node.DisposeAsync();
        }

        Assert.Equal(new FanOutResult(3, 0), answered);
        Assert.Equal(3, JournalRows(Uri.EscapeDataString(device)));
    }

    [Fact]
    public async Task An_empty_entity_answers_a_touch_and_a_delivery()
    {
        var node = await PipelineNode.StartAsync(new PipelineNodeOptions
        {
            Persistence = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.InMemory },
        });
        try
        {
            var region = await FloorEntities.StartRegionAsync(node.System, persistent: false);
            var touched = await FanOut.RunAsync(node.System, region, 2, i => new FloorTouch($"a1BenchPk/dev-{i}"), r => r is FloorTouched, TimeSpan.FromSeconds(60));
            var worked = await FanOut.RunAsync(node.System, region, 2, i => new FloorWork($"a1BenchPk/dev-{i}", [], "link", i, 0),
                r => r is FloorWork { Delivery: int }, TimeSpan.FromSeconds(60));

            Assert.Equal(new FanOutResult(2, 0), touched);
            Assert.Equal(new FanOutResult(2, 0), worked);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private long JournalRows(string persistenceId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory, DevicePersistenceOptions.SqliteFileName),
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal WHERE persistence_id = $pid";
        command.Parameters.AddWithValue("$pid", persistenceId);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
