using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IotActors.Emulator.Simulation;
using IotActors.Platform.Messages;

namespace IotActors.Emulator.Tests.Simulation;

public sealed partial class DeviceSimulatorTests
{
    [Fact]
    public void Same_seed_gives_an_identical_message_sequence()
    {
        var first = new DeviceSimulator(new SimulatorOptions { Seed = 7 }).Generate(3000).ToList();
        var second = new DeviceSimulator(new SimulatorOptions { Seed = 7 }).Generate(3000).ToList();

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Topic, second[i].Topic);
            Assert.Equal(first[i].MessageId, second[i].MessageId);
            Assert.Equal(first[i].GenerateTime, second[i].GenerateTime);
            Assert.True(first[i].Body.Span.SequenceEqual(second[i].Body.Span), $"body of message {i} differs");
        }
    }

    [Fact]
    public void Different_seeds_give_different_sequences()
    {
        var first = new DeviceSimulator(new SimulatorOptions { Seed = 1 }).Generate(200).ToList();
        var second = new DeviceSimulator(new SimulatorOptions { Seed = 2 }).Generate(200).ToList();

        Assert.NotEqual(first.Select(m => m.Topic), second.Select(m => m.Topic));
        Assert.Empty(first.Select(m => m.MessageId).Intersect(second.Select(m => m.MessageId)));
    }

    [Fact]
    public void Message_ids_are_unique_decimal_snowflakes_of_19_digits()
    {
        var ids = new DeviceSimulator(new SimulatorOptions()).Generate(20_000).Select(m => m.MessageId).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[1-9][0-9]{18}$", id));
    }

    [Fact]
    public void Simulated_clock_starts_at_the_option_and_strictly_advances_per_message()
    {
        var start = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var simulator = new DeviceSimulator(new SimulatorOptions { Start = start, MinStepMs = 2, MaxStepMs = 5 });

        var times = simulator.Generate(1000).Select(m => m.GenerateTime).ToList();

        var startMs = start.ToUnixTimeMilliseconds();
        Assert.InRange(times[0], startMs + 2, startMs + 5);
        for (var i = 1; i < times.Count; i++)
        {
            Assert.InRange(times[i] - times[i - 1], 2, 5);
        }
        Assert.Equal(times[^1], simulator.Now.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Product_keys_and_device_names_are_deterministic_and_dealt_round_robin()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 5, Products = 2 });

        Assert.Equal(
            [
                new DeviceId("a1Sim000", "dev-00001"), new DeviceId("a1Sim001", "dev-00002"), new DeviceId("a1Sim000", "dev-00003"),
                new DeviceId("a1Sim001", "dev-00004"), new DeviceId("a1Sim000", "dev-00005"),
            ],
            simulator.Devices);
        var seen = simulator.Generate(500).Select(m => DeviceOf(m.Topic)).ToHashSet();
        Assert.Subset(simulator.Devices.ToHashSet(), seen);
    }

    [Fact]
    public void Every_message_has_the_forwarded_topic_and_body_shape_of_spec_section_5()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 20, Seed = 3 });
        var kinds = new Dictionary<string, int>();

        foreach (var message in simulator.Generate(5000))
        {
            using var body = JsonDocument.Parse(message.Body);
            var root = body.RootElement;
            string kind;
            if (StatusTopic().Match(message.Topic) is { Success: true } status)
            {
                kind = "status";
                AssertDevice(root, status);
                Assert.Contains(root.GetProperty("status").GetString(), new[] { "online", "offline" });
                AssertStatusTimes(root, "time", "utcTime");
                AssertStatusTimes(root, "lastTime", "utcLastTime");
                Assert.Equal(message.GenerateTime, ParseUtc(root.GetProperty("utcTime").GetString()).ToUnixTimeMilliseconds());
                Assert.True(IPAddress.TryParse(root.GetProperty("clientIp").GetString(), out _));
                Assert.Equal(20, root.GetProperty("iotId").GetString()!.Length);
            }
            else if (PropertyTopic().Match(message.Topic) is { Success: true } property)
            {
                kind = "property";
                AssertDevice(root, property);
                Assert.Equal(message.GenerateTime, root.GetProperty("gmtCreate").GetInt64());
                Assert.Equal(JsonValueKind.String, root.GetProperty("requestId").ValueKind);
                Assert.Equal(JsonValueKind.Object, root.GetProperty("checkFailedData").ValueKind);
                var items = root.GetProperty("items").EnumerateObject().ToList();
                Assert.NotEmpty(items);
                Assert.All(items, item =>
                {
                    Assert.NotEqual(JsonValueKind.Undefined, item.Value.GetProperty("value").ValueKind);
                    Assert.InRange(item.Value.GetProperty("time").GetInt64(), message.GenerateTime - 10_000, message.GenerateTime);
                });
            }
            else if (EventTopic().Match(message.Topic) is { Success: true } @event)
            {
                kind = "event";
                AssertDevice(root, @event);
                Assert.Equal(@event.Groups["id"].Value, root.GetProperty("identifier").GetString());
                Assert.Contains(root.GetProperty("type").GetString(), new[] { "info", "alert", "error" });
                Assert.False(string.IsNullOrEmpty(root.GetProperty("name").GetString()));
                Assert.Equal(JsonValueKind.Object, root.GetProperty("value").ValueKind);
                Assert.InRange(root.GetProperty("time").GetInt64(), message.GenerateTime - 10_000, message.GenerateTime);
            }
            else if (LifecycleTopic().Match(message.Topic) is { Success: true } lifecycle)
            {
                kind = "lifecycle";
                AssertDevice(root, lifecycle);
                Assert.Equal("create", root.GetProperty("action").GetString());
                Assert.Equal(message.GenerateTime, root.GetProperty("messageCreateTime").GetInt64());
                Assert.False(root.TryGetProperty("deviceSecret", out _), "no device secret in simulated lifecycle notices");
            }
            else
            {
                throw new Xunit.Sdk.XunitException($"unexpected topic {message.Topic}");
            }
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        Assert.Equal(20, kinds["lifecycle"]);
        Assert.True(kinds["status"] > 20, "devices go offline and come back");
        Assert.True(kinds["property"] > kinds["event"], "property reports dominate the default mix");
        Assert.True(kinds["event"] > 0);
    }

    [Fact]
    public void Property_values_include_doubles_integers_switches_and_nested_objects()
    {
        var values = new DeviceSimulator(new SimulatorOptions { Devices = 6, Products = 3 })
            .Generate(2000)
            .Where(m => m.Topic.EndsWith("/thing/event/property/post", StringComparison.Ordinal))
            .SelectMany(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("items").EnumerateObject()
                .Select(i => (i.Name, Value: i.Value.GetProperty("value").Clone())))
            .ToList();

        Assert.Contains(values, v => v.Name == "Temperature" && v.Value.GetRawText().Contains('.', StringComparison.Ordinal));
        Assert.All(values.Where(v => v.Name == "Humidity"), v => v.Value.GetInt32());
        Assert.All(values.Where(v => v.Name == "Switch"), v => Assert.Contains(v.Value.GetInt32(), new[] { 0, 1 }));
        Assert.All(values.Where(v => v.Name == "Position"), v =>
        {
            Assert.InRange(v.Value.GetProperty("latitude").GetDouble(), -90, 90);
            Assert.InRange(v.Value.GetProperty("longitude").GetDouble(), -180, 180);
        });
        Assert.Contains(values, v => v.Name == "Config" && v.Value.ValueKind == JsonValueKind.Object);
    }

    [Fact]
    public void A_device_is_created_first_then_comes_online_and_its_status_alternates()
    {
        var lastStatus = new Dictionary<DeviceId, string>();
        foreach (var message in new DeviceSimulator(new SimulatorOptions { Devices = 10 }).Generate(3000))
        {
            var device = DeviceOf(message.Topic);
            using var body = JsonDocument.Parse(message.Body);
            var known = lastStatus.TryGetValue(device, out var status);
            if (message.Topic.EndsWith("/thing/lifecycle", StringComparison.Ordinal))
            {
                Assert.False(known, $"{device} is created only once, before anything else");
                lastStatus[device] = "created";
            }
            else if (message.Topic.StartsWith("/as/mqtt/status/", StringComparison.Ordinal))
            {
                Assert.True(known, $"{device} reports status before it was created");
                var next = body.RootElement.GetProperty("status").GetString()!;
                Assert.Equal(status == "online" ? "offline" : "online", next);
                lastStatus[device] = next;
            }
            else
            {
                Assert.Equal("online", status);
            }
        }
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_the_setting_named()
    {
        var devices = Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceSimulator(new SimulatorOptions { Devices = 0 }));
        Assert.Contains("SimulatorOptions.Devices", devices.Message, StringComparison.Ordinal);
        var mix = Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceSimulator(new SimulatorOptions { Mix = new TrafficMix(0, 0, 0) }));
        Assert.Contains("Mix", mix.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceSimulator(new SimulatorOptions { MinStepMs = 0 }));
    }

    internal static DeviceId DeviceOf(string topic)
    {
        var parts = topic.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return topic.StartsWith("/as/mqtt/status/", StringComparison.Ordinal)
            ? new DeviceId(parts[3], parts[4])
            : new DeviceId(parts[0], parts[1]);
    }

    private static void AssertDevice(JsonElement root, Match topic)
    {
        Assert.Equal(topic.Groups["pk"].Value, root.GetProperty("productKey").GetString());
        Assert.Equal(topic.Groups["dn"].Value, root.GetProperty("deviceName").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("iotId").GetString()));
    }

    private static void AssertStatusTimes(JsonElement root, string local, string utc)
    {
        var localText = root.GetProperty(local).GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$", localText);
        var utcTime = ParseUtc(root.GetProperty(utc).GetString());
        var localTime = DateTime.ParseExact(localText, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        Assert.Equal(utcTime.UtcDateTime.AddHours(8), localTime);
    }

    internal static DateTimeOffset ParseUtc(string? text)
    {
        Assert.NotNull(text);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", text);
        return DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    [GeneratedRegex("^/as/mqtt/status/(?<pk>[^/]+)/(?<dn>[^/]+)$")]
    private static partial Regex StatusTopic();

    [GeneratedRegex("^/(?<pk>[^/]+)/(?<dn>[^/]+)/thing/event/property/post$")]
    private static partial Regex PropertyTopic();

    [GeneratedRegex("^/(?<pk>[^/]+)/(?<dn>[^/]+)/thing/event/(?<id>[^/]+)/post$")]
    private static partial Regex EventTopic();

    [GeneratedRegex("^/(?<pk>[^/]+)/(?<dn>[^/]+)/thing/lifecycle$")]
    private static partial Regex LifecycleTopic();
}
