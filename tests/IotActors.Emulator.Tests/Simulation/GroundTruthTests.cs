using System.Text.Json;
using IotActors.Emulator.Simulation;
using IotActors.Platform.Messages;

namespace IotActors.Emulator.Tests.Simulation;

/// <summary>
/// Checks the simulator's recorded truth against a second, independent reduction of the messages
/// written here from the spec's rules (the "correct consumer").
/// </summary>
public sealed class GroundTruthTests
{
    [Fact]
    public void Newest_property_value_by_item_time_wins_even_when_it_arrived_earlier()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 8, LateProbability = 0.3, MaxLatenessMs = 5_000 });
        var messages = simulator.Generate(4000).ToList();
        var expected = new ConsumerModel(messages);

        var truth = simulator.Truth;

        Assert.True(expected.PropertiesWhereLastArrivalIsNotNewest > 0, "late items must make 'last arrival wins' wrong somewhere, or this test proves nothing");
        foreach (var (device, properties) in expected.Properties)
        {
            var actual = truth[device].Properties;
            Assert.Equal(properties.Keys.Order(), actual.Keys.Order());
            foreach (var (identifier, (value, time)) in properties)
            {
                Assert.Equal(time, actual[identifier].Time);
                Assert.True(actual[identifier].ValueEquals(value), $"{device} {identifier}: expected {value}, truth has {actual[identifier].ValueJson}");
            }
        }
    }

    [Fact]
    public void Newest_status_is_chosen_by_utc_last_time_then_utc_time()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 8, Mix = new TrafficMix(50, 10, 40) });
        var expected = new ConsumerModel(simulator.Generate(3000).ToList());

        var truth = simulator.Truth;

        foreach (var (device, (status, utcTime, utcLastTime)) in expected.Status)
        {
            var actual = truth[device].Status;
            Assert.NotNull(actual);
            Assert.Equal(status, actual.Status);
            Assert.Equal(utcTime, actual.UtcTime);
            Assert.Equal(utcLastTime, actual.UtcLastTime);
        }
    }

    [Fact]
    public void Newest_event_of_each_identifier_and_the_lifecycle_are_recorded()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 6, LateProbability = 0.3, Mix = new TrafficMix(20, 70, 5) });
        var messages = simulator.Generate(3000).ToList();
        var expected = new ConsumerModel(messages);

        var truth = simulator.Truth;

        Assert.NotEmpty(expected.Events);
        foreach (var (device, events) in expected.Events)
        {
            foreach (var (identifier, (type, value, time)) in events)
            {
                var actual = truth[device].Events[identifier];
                Assert.Equal(type, actual.Type);
                Assert.Equal(time, actual.Time);
                Assert.True(actual.ValueEquals(value));
            }
        }
        Assert.All(truth.Devices.Values, d =>
        {
            Assert.Equal("create", d.Lifecycle?.Action);
            Assert.Equal(expected.Created[d.Device], d.Lifecycle!.MessageCreateTime);
        });
    }

    [Fact]
    public void Message_counts_per_device_add_up_to_the_total()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 30 });
        var messages = simulator.Generate(2500).ToList();

        var truth = simulator.Truth;

        Assert.Equal(2500, truth.TotalMessages);
        Assert.Equal(2500, truth.Devices.Values.Sum(d => d.DistinctMessages));
        foreach (var group in messages.GroupBy(m => DeviceSimulatorTests.DeviceOf(m.Topic)))
        {
            Assert.Equal(group.Select(m => m.MessageId).Distinct().Count(), truth[group.Key].DistinctMessages);
        }
    }

    [Fact]
    public void A_truth_snapshot_does_not_change_when_more_messages_are_generated()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 3 });
        simulator.Generate(100).ToList();
        var before = simulator.Truth;
        var countsBefore = before.Devices.ToDictionary(d => d.Key, d => d.Value.DistinctMessages);

        simulator.Generate(100).ToList();

        Assert.Equal(100, before.TotalMessages);
        Assert.Equal(countsBefore, before.Devices.ToDictionary(d => d.Key, d => d.Value.DistinctMessages));
        Assert.Equal(200, simulator.Truth.TotalMessages);
    }

    /// <summary>An independent reduction of the messages by the rules of spec §3.5/§5.</summary>
    private sealed class ConsumerModel
    {
        public ConsumerModel(IReadOnlyList<EmulatedMessage> messages)
        {
            var lastArrival = new Dictionary<(DeviceId, string), long>();
            foreach (var message in messages)
            {
                var device = DeviceSimulatorTests.DeviceOf(message.Topic);
                var root = JsonDocument.Parse(message.Body).RootElement;
                if (message.Topic.EndsWith("/thing/event/property/post", StringComparison.Ordinal))
                {
                    var properties = Properties.TryGetValue(device, out var p) ? p : Properties[device] = [];
                    foreach (var item in root.GetProperty("items").EnumerateObject())
                    {
                        var time = item.Value.GetProperty("time").GetInt64();
                        lastArrival[(device, item.Name)] = time;
                        if (!properties.TryGetValue(item.Name, out var known) || time > known.Time)
                        {
                            properties[item.Name] = (item.Value.GetProperty("value").Clone(), time);
                        }
                    }
                }
                else if (message.Topic.StartsWith("/as/mqtt/status/", StringComparison.Ordinal))
                {
                    var candidate = (
                        root.GetProperty("status").GetString()!,
                        DeviceSimulatorTests.ParseUtc(root.GetProperty("utcTime").GetString()),
                        DeviceSimulatorTests.ParseUtc(root.GetProperty("utcLastTime").GetString()));
                    if (!Status.TryGetValue(device, out var known)
                        || (candidate.Item3, candidate.Item2).CompareTo((known.UtcLastTime, known.UtcTime)) > 0)
                    {
                        Status[device] = candidate;
                    }
                }
                else if (message.Topic.EndsWith("/thing/lifecycle", StringComparison.Ordinal))
                {
                    Created[device] = root.GetProperty("messageCreateTime").GetInt64();
                }
                else
                {
                    var events = Events.TryGetValue(device, out var e) ? e : Events[device] = [];
                    var identifier = root.GetProperty("identifier").GetString()!;
                    var time = root.GetProperty("time").GetInt64();
                    if (!events.TryGetValue(identifier, out var known) || time > known.Time)
                    {
                        events[identifier] = (root.GetProperty("type").GetString()!, root.GetProperty("value").Clone(), time);
                    }
                }
            }
            PropertiesWhereLastArrivalIsNotNewest = lastArrival.Count(a => Properties[a.Key.Item1][a.Key.Item2].Time != a.Value);
        }

        public Dictionary<DeviceId, Dictionary<string, (JsonElement Value, long Time)>> Properties { get; } = [];

        public Dictionary<DeviceId, (string Status, DateTimeOffset UtcTime, DateTimeOffset UtcLastTime)> Status { get; } = [];

        public Dictionary<DeviceId, Dictionary<string, (string Type, JsonElement Value, long Time)>> Events { get; } = [];

        public Dictionary<DeviceId, long> Created { get; } = [];

        public int PropertiesWhereLastArrivalIsNotNewest { get; }
    }
}
