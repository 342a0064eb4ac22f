using IotActors.TestKit.Behaviors;
using IotActors.TestKit.Platform;
using System.Text.Json;
using IotActors.Emulator;
using IotActors.TestKit.Invariants;

namespace TemperatureAlarm.Tests;

/// <summary>
/// The property the chaos test relies on, shown without a network: the same messages in any order (each applied once,
/// which IotActors guarantees by messageId) end in the same state — the one worked out from the whole history.
/// </summary>
public sealed class ConvergenceTests
{
    private static readonly AlarmThresholds Thresholds = new(High: 30.0, Low: 25.0, Window: 8);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Any_arrival_order_ends_in_the_expected_state(int seed)
    {
        var traffic = DeviceTraffic.Generate(seed, devices: 3, messagesPerDevice: 60, Thresholds);
        var random = new Random(seed);
        for (var shuffle = 0; shuffle < 25; shuffle++)
        {
            var messages = traffic.Messages.ToArray();
            if (shuffle > 0) random.Shuffle(messages); // shuffle 0: publish order

            var states = Replay(messages);

            foreach (var (device, expected) in traffic.Expected)
            {
                Assert.Equal(expected, states[device]);
                Assert.Equal(traffic.ExpectedOnlineMs[device], states[device].Presence.OnlineMs);
            }
        }
    }

    [Fact]
    public void The_traffic_exercises_what_the_state_must_survive()
    {
        var traffic = DeviceTraffic.Generate(seed: 1, devices: 12, messagesPerDevice: 50, AlarmThresholds.Default);

        Assert.Contains(traffic.Expected.Values, s => s.Temperature.Alarm);
        Assert.Contains(traffic.Expected.Values, s => !s.Temperature.Alarm);
        Assert.Contains(traffic.Expected.Values, s => s.Temperature.RecentRaises > 1);
        Assert.Contains(traffic.Expected.Values, s => s.Temperature.Settled is not null);
        Assert.All(traffic.ExpectedOnlineMs.Values, ms => Assert.True(ms > 0));
        Assert.True(traffic.LateReadings > 0 && traffic.LateNotices > 0);
    }

    [Fact]
    public void State_round_trips_through_System_Text_Json_as_it_is_persisted()
    {
        var traffic = DeviceTraffic.Generate(seed: 4, devices: 1, messagesPerDevice: 40, Thresholds);
        var state = traffic.Expected.Values.Single();
        // The chaos test persists the state inside LedgerBehavior's ledger: both must survive the journal.
        var ledger = new Ledger<AlarmState>(state, ["1", "2"]);

        var json = JsonSerializer.Serialize(ledger);
        var back = JsonSerializer.Deserialize<Ledger<AlarmState>>(json)!;

        Assert.Equal(state, back.State);
        Assert.Equal(ledger.Applied, back.Applied);
        Assert.DoesNotContain("Latest", json, StringComparison.Ordinal); // derived values are not stored
    }

    private static Dictionary<IotActors.Platform.Messages.DeviceId, AlarmState> Replay(IEnumerable<EmulatedMessage> messages)
    {
        var behavior = new TemperatureAlarmBehavior(Thresholds);
        var states = new Dictionary<IotActors.Platform.Messages.DeviceId, AlarmState>();
        foreach (var message in messages)
        {
            var device = PlatformMessages.DeviceOf(message);
            var deviceMessage = PlatformMessages.ToDeviceMessage(message);
            states[device] = behavior.Apply(states.GetValueOrDefault(device) ?? behavior.CreateInitialState(device), deviceMessage,
                new RecordingDeviceContext(deviceMessage, device));
        }
        return states;
    }
}
