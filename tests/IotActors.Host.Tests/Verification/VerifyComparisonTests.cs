using System.Text.Json;
using System.Text.Json.Nodes;
using IotActors.Emulator.Simulation;
using IotActors.Host.Verification;

namespace IotActors.Host.Tests.Verification;

/// <summary>
/// What <c>iot-actors verify</c> reports for a twin: each broken promise (a lost message, a message applied twice, a
/// wrong value) is named, and a twin equal to the ground truth matches. Twins are built as the HTTP API shows them.
/// </summary>
public class VerifyComparisonTests
{
    private static readonly GroundTruth Truth = Simulate();

    private static GroundTruth Simulate()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 4, Seed = 7 });
        foreach (var _ in simulator.Generate(400)) { }
        return simulator.Truth;
    }

    private static DeviceTruth Device => Truth.Devices.Values.OrderBy(d => d.Device.ToString(), StringComparer.Ordinal).First();

    [Fact]
    public void A_twin_equal_to_the_truth_matches()
    {
        var verdict = TwinComparison.Compare(Device, Parse(TwinOf(Device)));

        Assert.True(verdict.Matches, string.Join("; ", verdict.Differences));
        Assert.Equal(0, verdict.Lost);
        Assert.Equal(0, verdict.AppliedTwice);
    }

    [Fact]
    public void A_wrong_property_value_is_a_mismatch_that_names_the_property()
    {
        var (id, property) = Device.Properties.First();
        var twin = TwinOf(Device);
        twin["properties"]![id]!["value"] = JsonNode.Parse("-12345.5");

        var verdict = TwinComparison.Compare(Device, Parse(twin));

        Assert.False(verdict.Matches);
        Assert.Contains(verdict.Differences, d => d.Contains($"property {id}", StringComparison.Ordinal) && d.Contains("-12345.5", StringComparison.Ordinal)
            && d.Contains(property.ValueJson, StringComparison.Ordinal));
        Assert.Equal(0, verdict.Lost);
    }

    [Fact]
    public void A_stale_status_is_a_mismatch()
    {
        var twin = TwinOf(Device);
        twin["statusTime"] = Device.Status!.UtcTime.ToUnixTimeMilliseconds() - 1;

        var verdict = TwinComparison.Compare(Device, Parse(twin));

        Assert.Contains(verdict.Differences, d => d.StartsWith("statusTime", StringComparison.Ordinal));
    }

    [Fact]
    public void A_property_the_device_never_sent_is_a_mismatch()
    {
        var twin = TwinOf(Device);
        twin["properties"]!["Invented"] = new JsonObject { ["value"] = 1, ["time"] = 1 };

        var verdict = TwinComparison.Compare(Device, Parse(twin));

        Assert.Contains("property Invented present, but the device never sent it", verdict.Differences);
    }

    [Fact]
    public void Fewer_applications_than_distinct_messages_are_lost_messages()
    {
        var twin = TwinOf(Device);
        twin["messagesApplied"] = Device.DistinctMessages - 2;

        var verdict = TwinComparison.Compare(Device, Parse(twin));

        Assert.Equal(2, verdict.Lost);
        Assert.Equal(0, verdict.AppliedTwice);
        Assert.False(verdict.IsFinal); // a redelivery may still bring them
        Assert.Contains(verdict.Differences, d => d.StartsWith("lost 2 message(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void More_applications_than_distinct_messages_are_applied_twice_and_final()
    {
        var twin = TwinOf(Device);
        twin["messagesApplied"] = Device.DistinctMessages + 1;

        var verdict = TwinComparison.Compare(Device, Parse(twin));

        Assert.Equal(1, verdict.AppliedTwice);
        Assert.Equal(0, verdict.Lost);
        Assert.True(verdict.IsFinal);
        Assert.Contains(verdict.Differences, d => d.StartsWith("applied twice", StringComparison.Ordinal));
    }

    [Fact]
    public void A_device_without_a_twin_lost_every_message()
    {
        var verdict = TwinComparison.NoTwin(Device);

        Assert.Equal(Device.DistinctMessages, verdict.Lost);
        Assert.False(verdict.Matches);
    }

    [Fact]
    public void The_report_counts_and_lists_each_kind_of_failure()
    {
        var devices = Truth.Devices.Values.OrderBy(d => d.Device.ToString(), StringComparer.Ordinal).ToList();
        var lost = TwinOf(devices[0]);
        lost["messagesApplied"] = devices[0].DistinctMessages - 3;
        var twice = TwinOf(devices[1]);
        twice["messagesApplied"] = devices[1].DistinctMessages + 2;
        var verdicts = new List<DeviceVerdict>
        {
            TwinComparison.Compare(devices[0], Parse(lost)),
            TwinComparison.Compare(devices[1], Parse(twice)),
            TwinComparison.Compare(devices[2], Parse(TwinOf(devices[2]))),
            TwinComparison.Unanswered(devices[3], "http://127.0.0.1:1/ timed out"),
        };

        var report = new VerificationReport(verdicts);
        using var output = new StringWriter();
        report.Print(output);
        var text = output.ToString();

        Assert.Equal((4, 1, 3, 3L, 2L, 1), (report.DevicesChecked, report.Matching, report.Mismatching, report.LostMessages, report.AppliedTwice, report.Unanswered));
        Assert.False(report.AllMatch);
        Assert.Matches(@"mismatching\s+3", text);
        Assert.Matches(@"lost messages\s+3", text);
        Assert.Matches(@"applied twice\s+2", text);
        Assert.Contains($"{devices[0].Device}: lost 3 message(s)", text);
        Assert.Contains($"{devices[1].Device}: applied twice", text);
        Assert.Contains($"{devices[3].Device}: no node answered: http://127.0.0.1:1/ timed out", text);
        Assert.DoesNotContain(devices[2].Device.ToString() + ":", text);
    }

    private static JsonElement Parse(JsonObject twin)
    {
        using var document = JsonDocument.Parse(twin.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>The twin a correct consumer holds, in the shape of <c>GET /api/devices/{productKey}/{deviceName}</c>.</summary>
    private static JsonObject TwinOf(DeviceTruth truth)
    {
        var properties = new JsonObject();
        foreach (var (id, p) in truth.Properties) properties[id] = new JsonObject { ["value"] = JsonNode.Parse(p.ValueJson), ["time"] = p.Time };
        var events = new JsonObject();
        foreach (var (id, e) in truth.Events) events[id] = new JsonObject { ["type"] = e.Type, ["value"] = JsonNode.Parse(e.ValueJson), ["time"] = e.Time };
        return new JsonObject
        {
            ["productKey"] = truth.Device.ProductKey,
            ["deviceName"] = truth.Device.DeviceName,
            ["status"] = truth.Status?.Status,
            ["statusTime"] = truth.Status?.UtcTime.ToUnixTimeMilliseconds(),
            ["lastSessionTime"] = truth.Status?.UtcLastTime.ToUnixTimeMilliseconds(),
            ["properties"] = properties,
            ["events"] = events,
            ["lifecycle"] = truth.Lifecycle is { } l ? new JsonObject { ["action"] = l.Action, ["time"] = l.MessageCreateTime } : null,
            ["malformedMessages"] = 0,
            ["ignoredMessages"] = 0,
            ["messagesApplied"] = truth.DistinctMessages,
            ["duplicatesDropped"] = 0,
            ["parked"] = 0,
            ["lastSeen"] = 1,
        };
    }
}
