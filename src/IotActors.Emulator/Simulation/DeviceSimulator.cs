using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IotActors.Platform.Messages;

namespace IotActors.Emulator.Simulation;

/// <summary>
/// Generates platform traffic for many devices exactly in the forwarded shapes of spec §5:
/// lifecycle <c>create</c> when a device first appears, online/offline notices that alternate,
/// property reports and event reports while online. Everything, including the simulated clock
/// and the message IDs, follows from <see cref="SimulatorOptions"/>, so equal options give equal
/// messages. While generating it records the <see cref="Truth"/> a correct consumer ends with.
/// </summary>
/// <remarks>
/// The simulated clock advances by <see cref="SimulatorOptions.MinStepMs"/>–<see cref="SimulatorOptions.MaxStepMs"/>
/// per message and never reads the wall clock. Item and event <c>time</c>s are device-side and may
/// lie in the past (<see cref="SimulatorOptions.LateProbability"/>): "last message wins" is then
/// wrong and "newest item time wins" is right. Safe to call from several threads; each call
/// takes the next message in the one sequence.
/// </remarks>
public sealed class DeviceSimulator
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private readonly object _gate = new();
    private readonly Random _random;
    private readonly SimulatedDevice[] _devices;
    private readonly MessageIdGenerator _messageIds;
    private readonly GroundTruthRecorder _truth = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private long _nowMs;

    public DeviceSimulator(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _random = new Random(options.Seed);
        _messageIds = new MessageIdGenerator(options.Seed);
        _nowMs = options.Start.ToUnixTimeMilliseconds();

        var products = Enumerable.Range(0, options.Products).Select(SimulatedProduct.Create).ToArray();
        _devices = new SimulatedDevice[options.Devices];
        for (var i = 0; i < _devices.Length; i++)
        {
            var product = products[i % products.Length];
            var id = new DeviceId(product.ProductKey, $"dev-{i + 1:D5}");
            _devices[i] = new SimulatedDevice(id, NewIotId(), product, _random);
        }
        Devices = Array.AsReadOnly(_devices.Select(d => d.Id).ToArray());
    }

    public SimulatorOptions Options { get; }

    /// <summary>Every simulated device, in name order. Devices appear in traffic (and in <see cref="Truth"/>) when first picked.</summary>
    public IReadOnlyList<DeviceId> Devices { get; }

    /// <summary>The simulated clock: platform time of the latest message.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(_nowMs);
            }
        }
    }

    /// <summary>Snapshot of what a correct consumer of every message generated so far ends with.</summary>
    public GroundTruth Truth
    {
        get
        {
            lock (_gate)
            {
                return _truth.Snapshot();
            }
        }
    }

    /// <summary>The next <paramref name="count"/> messages, generated lazily as the sequence is enumerated.</summary>
    public IEnumerable<EmulatedMessage> Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return GenerateIterator(count);
    }

    /// <summary>Advances the simulated clock and generates the next message.</summary>
    public EmulatedMessage Next()
    {
        lock (_gate)
        {
            _nowMs += _random.Next(Options.MinStepMs, Options.MaxStepMs + 1);
            var device = _devices[_random.Next(_devices.Length)];
            var messageId = _messageIds.Next(_nowMs, _random);
            _truth.Message(device.Id, device.IotId);
            _buffer.ResetWrittenCount();
            string topic;
            using (var json = new Utf8JsonWriter(_buffer))
            {
                if (!device.Created)
                {
                    topic = Lifecycle(json, device, messageId);
                }
                else if (!device.Online)
                {
                    topic = Status(json, device, online: true, messageId);
                }
                else
                {
                    var mix = Options.Mix;
                    var pick = _random.Next(mix.Total);
                    topic = pick < mix.PropertyPost ? PropertyPost(json, device, messageId)
                        : pick < mix.PropertyPost + mix.EventPost ? EventPost(json, device, messageId)
                        : Status(json, device, online: false, messageId);
                }
            }
            device.LastActivityMs = _nowMs;
            return new EmulatedMessage(topic, messageId, _nowMs, _buffer.WrittenSpan.ToArray());
        }
    }

    private IEnumerable<EmulatedMessage> GenerateIterator(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next();
        }
    }

    /// <summary>spec §5.7. No <c>deviceSecret</c>: a consumer has no use for it and a fake one would only invite copying.</summary>
    private string Lifecycle(Utf8JsonWriter json, SimulatedDevice device, string messageId)
    {
        device.Created = true;
        device.CreatedAtMs = _nowMs;
        json.WriteStartObject();
        json.WriteString("action", "create");
        json.WriteString("iotId", device.IotId);
        json.WriteString("productKey", device.Id.ProductKey);
        json.WriteString("deviceName", device.Id.DeviceName);
        json.WriteNumber("messageCreateTime", _nowMs);
        json.WriteEndObject();
        _truth.Lifecycle(device.Id, new LifecycleTruth("create", _nowMs, messageId));
        return $"/{device.Id.ProductKey}/{device.Id.DeviceName}/thing/lifecycle";
    }

    /// <summary>
    /// spec §5.1. <c>lastTime</c> is the device's last communication before the change: its latest
    /// message when going offline, the CONNECT just before the notice when coming online.
    /// </summary>
    private string Status(Utf8JsonWriter json, SimulatedDevice device, bool online, string messageId)
    {
        long lastTimeMs;
        if (online)
        {
            device.Online = true;
            device.ClientIp = $"198.51.100.{_random.Next(1, 255)}";
            lastTimeMs = Math.Max(_nowMs - _random.Next(1, 50), device.LastActivityMs + 1);
        }
        else
        {
            device.Online = false;
            lastTimeMs = device.LastActivityMs;
        }
        var utcTime = DateTimeOffset.FromUnixTimeMilliseconds(_nowMs);
        var utcLastTime = DateTimeOffset.FromUnixTimeMilliseconds(lastTimeMs);
        var status = online ? "online" : "offline";

        json.WriteStartObject();
        json.WriteString("status", status);
        json.WriteString("iotId", device.IotId);
        json.WriteString("productKey", device.Id.ProductKey);
        json.WriteString("deviceName", device.Id.DeviceName);
        json.WriteString("time", LocalText(utcTime));
        json.WriteString("utcTime", UtcText(utcTime));
        json.WriteString("lastTime", LocalText(utcLastTime));
        json.WriteString("utcLastTime", UtcText(utcLastTime));
        json.WriteString("clientIp", device.ClientIp);
        json.WriteEndObject();
        _truth.Status(device.Id, new StatusTruth(status, utcTime, utcLastTime, device.ClientIp, messageId));
        return $"/as/mqtt/status/{device.Id.ProductKey}/{device.Id.DeviceName}";
    }

    /// <summary>spec §5.2: a random non-empty subset of the product's properties, each with its own item time.</summary>
    private string PropertyPost(Utf8JsonWriter json, SimulatedDevice device, string messageId)
    {
        json.WriteStartObject();
        json.WriteString("iotId", device.IotId);
        json.WriteString("requestId", (device.NextRequestId++).ToString(CultureInfo.InvariantCulture));
        json.WriteString("productKey", device.Id.ProductKey);
        json.WriteString("deviceName", device.Id.DeviceName);
        json.WriteString("deviceType", device.Product.DeviceType);
        json.WriteNumber("gmtCreate", _nowMs);
        json.WriteStartObject("checkFailedData");
        json.WriteEndObject();
        json.WriteStartObject("items");
        var properties = device.Product.Properties;
        var mask = _random.Next(1, 1 << properties.Count);
        for (var i = 0; i < properties.Count; i++)
        {
            if ((mask & (1 << i)) == 0)
            {
                continue;
            }
            var property = properties[i];
            var time = DeviceTime(device, _truth.NewestPropertyTime(device.Id, property.Identifier));
            json.WriteStartObject(property.Identifier);
            json.WritePropertyName("value");
            json.Flush();
            var valueStart = _buffer.WrittenCount;
            property.WriteValue(json, device, _random);
            json.Flush();
            var valueJson = System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan[valueStart..]).TrimStart(':');
            json.WriteNumber("time", time);
            json.WriteEndObject();
            _truth.Property(device.Id, new PropertyTruth(property.Identifier, valueJson, time, messageId));
        }
        json.WriteEndObject();
        json.WriteEndObject();
        return $"/{device.Id.ProductKey}/{device.Id.DeviceName}/thing/event/property/post";
    }

    /// <summary>spec §5.3.</summary>
    private string EventPost(Utf8JsonWriter json, SimulatedDevice device, string messageId)
    {
        var spec = device.Product.Events[_random.Next(device.Product.Events.Count)];
        var time = DeviceTime(device, _truth.NewestEventTime(device.Id, spec.Identifier));
        json.WriteStartObject();
        json.WriteString("identifier", spec.Identifier);
        json.WriteString("name", spec.Name);
        json.WriteString("type", spec.Type);
        json.WriteString("iotId", device.IotId);
        json.WriteString("productKey", device.Id.ProductKey);
        json.WriteString("deviceName", device.Id.DeviceName);
        json.WriteNumber("gmtCreate", _nowMs);
        json.WritePropertyName("value");
        json.Flush();
        var valueStart = _buffer.WrittenCount;
        json.WriteStartObject();
        spec.WriteFields(json, device, _random);
        json.WriteEndObject();
        json.Flush();
        var valueJson = System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan[valueStart..]).TrimStart(':');
        json.WriteNumber("time", time);
        json.WriteEndObject();
        _truth.Event(device.Id, new EventTruth(spec.Identifier, spec.Type, valueJson, time, messageId));
        return $"/{device.Id.ProductKey}/{device.Id.DeviceName}/thing/event/{spec.Identifier}/post";
    }

    /// <summary>
    /// Device-side time of an item: a few ms before the platform saw it, or (late items) up to
    /// <see cref="SimulatorOptions.MaxLatenessMs"/> earlier, never before the device was created.
    /// Never equal to the newest time already known for the same identifier, so "newest wins"
    /// has exactly one answer.
    /// </summary>
    private long DeviceTime(SimulatedDevice device, long? newestKnown)
    {
        var lateness = _random.NextDouble() < Options.LateProbability
            ? _random.Next(1, Options.MaxLatenessMs + 1)
            : _random.Next(0, 4);
        var time = Math.Max(_nowMs - lateness, device.CreatedAtMs);
        return time == newestKnown ? time - 1 : time;
    }

    private string NewIotId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> id = stackalloc char[20];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = alphabet[_random.Next(alphabet.Length)];
        }
        return new string(id);
    }

    /// <summary>Status <c>time</c>/<c>lastTime</c>: China Standard Time (UTC+8) without a zone, as the vendor examples show.</summary>
    internal static string LocalText(DateTimeOffset utc) =>
        utc.ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    internal static string UtcText(DateTimeOffset utc) =>
        utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
