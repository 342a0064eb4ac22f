using IotActors.TestKit.Platform;
using System.Collections.Immutable;
using System.Globalization;
using IotActors.Emulator;
using IotActors.Platform.Messages;

namespace TemperatureAlarm.Tests;

/// <summary>
/// Deterministic traffic for a set of temperature sensors — the same seed gives the same messages — and, device by
/// device, the state a correct consumer ends with. Each device comes online, reports a temperature that swings across
/// both thresholds, now and then goes offline and comes back. Two things arrive out of order on purpose, before the
/// platform adds any disorder of its own: some readings are sent late (history reports whose item time lies seconds in
/// the past), and some offline notices are published after the online notice that follows them.
/// </summary>
internal sealed class DeviceTraffic
{
    /// <summary>Product key of the sample's sensors.</summary>
    public const string ProductKey = "a1AlarmSample";

    private static readonly long Start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private DeviceTraffic(IReadOnlyList<EmulatedMessage> messages, ImmutableDictionary<DeviceId, AlarmState> expected,
        ImmutableDictionary<DeviceId, long> expectedOnlineMs, int lateReadings, int lateNotices)
    {
        Messages = messages;
        Expected = expected;
        ExpectedOnlineMs = expectedOnlineMs;
        LateReadings = lateReadings;
        LateNotices = lateNotices;
    }

    /// <summary>Every message, in publish order (devices interleaved).</summary>
    public IReadOnlyList<EmulatedMessage> Messages { get; }

    /// <summary>Per device, the state after all its messages (<see cref="AlarmGroundTruth"/>).</summary>
    public ImmutableDictionary<DeviceId, AlarmState> Expected { get; }

    /// <summary>Per device, the online time worked out by pairing sessions (a second, independent check of <see cref="OnlineClock.OnlineMs"/>).</summary>
    public ImmutableDictionary<DeviceId, long> ExpectedOnlineMs { get; }

    /// <summary>Readings sent late on purpose.</summary>
    public int LateReadings { get; }

    /// <summary>Offline notices published after the next online notice.</summary>
    public int LateNotices { get; }

    public static DeviceTraffic Generate(int seed, int devices, int messagesPerDevice, AlarmThresholds thresholds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(messagesPerDevice, 2);
        var random = new Random(seed);
        long nextId = 0;
        string MessageId() => (1_000_000_000_000_000_000L + ++nextId).ToString(CultureInfo.InvariantCulture);

        var perDevice = new List<Queue<EmulatedMessage>>();
        var expected = ImmutableDictionary.CreateBuilder<DeviceId, AlarmState>();
        var onlineMs = ImmutableDictionary.CreateBuilder<DeviceId, long>();
        int lateReadings = 0, lateNotices = 0;
        for (var d = 0; d < devices; d++)
        {
            var device = new DeviceId(ProductKey, $"sensor-{d + 1:D3}");
            var messages = new List<EmulatedMessage>();
            var readings = new List<Reading>();
            var notices = new List<StatusNotice>();
            var period = random.Next(8, 20);
            var phase = random.NextDouble() * 2 * Math.PI;
            var now = Start + d * 7;
            var online = false;
            var heldOffline = (EmulatedMessage?)null;

            void Notice(bool isOnline)
            {
                var message = PlatformMessages.Status(device, MessageId(), isOnline, now, now - random.Next(1, 50));
                notices.Add(new StatusNotice(now, isOnline));
                online = isOnline;
                if (!isOnline && random.NextDouble() < 0.4)
                {
                    heldOffline = message; // published after the online notice that follows it
                    lateNotices++;
                    return;
                }
                messages.Add(message);
                if (heldOffline is not null)
                {
                    messages.Add(heldOffline);
                    heldOffline = null;
                }
            }

            for (var k = 0; k < messagesPerDevice; k++)
            {
                now += random.Next(800, 1200);
                if (!online) Notice(isOnline: true);
                else if (k > 2 && random.NextDouble() < 0.08) Notice(isOnline: false);
                else
                {
                    // A swing across both thresholds, with noise: raises, clears, and readings inside the band.
                    var celsius = Math.Round(27.5 + (6 * Math.Sin((2 * Math.PI * k / period) + phase)) + ((random.NextDouble() * 3) - 1.5), 1);
                    var late = random.NextDouble() < 0.15;
                    var itemTime = late ? now - random.Next(1_000, 8_000) : now - random.Next(0, 4);
                    if (late) lateReadings++;
                    messages.Add(SampleMessages.Temperature(device, MessageId(), now, celsius, itemTime, history: late));
                    readings.Add(new Reading(itemTime, celsius));
                }
            }
            if (heldOffline is not null) messages.Add(heldOffline);

            perDevice.Add(new Queue<EmulatedMessage>(messages));
            expected[device] = AlarmGroundTruth.Expected(readings, notices, thresholds);
            onlineMs[device] = AlarmGroundTruth.OnlineMs(notices);
        }

        // Interleave the devices at random (each device keeps its own order), as a fleet's traffic would.
        var all = new List<EmulatedMessage>();
        var open = perDevice.Where(q => q.Count > 0).ToList();
        while (open.Count > 0)
        {
            var queue = open[random.Next(open.Count)];
            all.Add(queue.Dequeue());
            if (queue.Count == 0) open.Remove(queue);
        }
        return new DeviceTraffic(all, expected.ToImmutable(), onlineMs.ToImmutable(), lateReadings, lateNotices);
    }
}
