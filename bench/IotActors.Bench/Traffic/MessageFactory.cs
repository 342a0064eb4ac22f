using System.Globalization;
using System.Text;
using IotActors.Emulator;
using IotActors.Platform.Messages;

namespace IotActors.Bench.Traffic;

/// <summary>
/// Property posts (spec §5.2) for devices <c>a1BenchPk/dev-0000000</c> … padded to an exact body size, with message IDs
/// that are unique across the whole run (decimal text like the platform's) and device times that only grow, so every
/// message changes the twin. Not thread-safe: one producer at a time.
/// </summary>
public sealed class MessageFactory
{
    public const string ProductKey = "a1BenchPk";
    private const long TimeBase = 1_709_258_405_000;
    private const long IdBase = 1_800_000_000_000_000_000;

    private readonly StringBuilder _text = new(4096);
    private readonly Random _random;
    private long _sequence;

    public MessageFactory(int seed = 7) => _random = new Random(seed);

    /// <summary>Messages made so far (over every cell and scenario of the run).</summary>
    public long Made => _sequence;

    public static DeviceId Device(int index) => new(ProductKey, DeviceName(index));

    public static string DeviceName(int index) => "dev-" + index.ToString("D7", CultureInfo.InvariantCulture);

    public static string PropertyTopic(DeviceId device) => $"/{device.ProductKey}/{device.DeviceName}/thing/event/property/post";

    /// <summary>The next message, for a device drawn uniformly from <paramref name="devices"/>.</summary>
    public EmulatedMessage Next(int devices, BodyShape shape) => For(_random.Next(devices), shape);

    /// <summary>The next message, for the device of index <paramref name="deviceIndex"/> (<see cref="Device"/>).</summary>
    public EmulatedMessage For(int deviceIndex, BodyShape shape)
    {
        var device = Device(deviceIndex);
        var (sequence, messageId, time) = NextIdentity();
        return new EmulatedMessage(PropertyTopic(device), messageId, time, Body(device, sequence, time, shape));
    }

    /// <summary>A fresh message identity: its sequence number, messageId and device time.</summary>
    public (long Sequence, string MessageId, long Time) NextIdentity()
    {
        var sequence = ++_sequence;
        return (sequence, (IdBase + sequence).ToString(CultureInfo.InvariantCulture), TimeBase + sequence);
    }

    /// <summary>A property post for <paramref name="device"/> of exactly <see cref="BodyShape.Bytes"/> bytes.</summary>
    public byte[] Body(DeviceId device, long sequence, long time, BodyShape shape)
    {
        var t = _text.Clear();
        var ts = time.ToString(CultureInfo.InvariantCulture);
        t.Append("{\"productKey\":\"").Append(device.ProductKey).Append("\",\"deviceName\":\"").Append(device.DeviceName)
            .Append("\",\"gmtCreate\":").Append(ts).Append(",\"items\":{");
        // Fixed-width values keep every body of a shape the same size.
        t.Append("\"Temperature\":{\"value\":").Append((10 + sequence % 300 / 10.0).ToString("00.0", CultureInfo.InvariantCulture)).Append(",\"time\":").Append(ts).Append('}');
        for (var i = 0; i < shape.ExtraProperties; i++)
        {
            t.Append(",\"S").Append(i.ToString("D3", CultureInfo.InvariantCulture)).Append("\":{\"value\":")
                .Append((100 + (sequence + i) % 900).ToString(CultureInfo.InvariantCulture)).Append(",\"time\":").Append(ts).Append('}');
        }
        if (shape.Padding >= 0)
        {
            t.Append(",\"Note\":{\"value\":\"").Append('x', shape.Padding).Append("\",\"time\":").Append(ts).Append('}');
        }
        t.Append("}}");
        return Encoding.UTF8.GetBytes(t.ToString());
    }
}

/// <summary>How a body of a given size is made: extra numeric properties, then a string property as padding.</summary>
/// <param name="Bytes">The exact body size.</param>
/// <param name="ExtraProperties">Numeric properties besides Temperature (a 2 KB post carries dozens, like real devices).</param>
/// <param name="Padding">Length of the padding string; -1 = no padding property.</param>
public sealed record BodyShape(int Bytes, int ExtraProperties, int Padding)
{
    /// <summary>Finds the shape whose bodies are exactly <paramref name="bytes"/> long.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Smaller than the smallest property post this factory makes.</exception>
    public static BodyShape For(int bytes)
    {
        var factory = new MessageFactory();
        var device = MessageFactory.Device(0);
        int Size(int extra, int padding) => factory.Body(device, 1, 1_709_258_405_001, new BodyShape(0, extra, padding)).Length;

        var extraProperties = 0;
        // Add numeric properties while a padding property still fits after them; the padding string takes the rest.
        while (Size(extraProperties + 1, 0) <= bytes && bytes - Size(extraProperties + 1, 0) >= 0 && Size(extraProperties + 1, 0) + 64 <= bytes)
            extraProperties++;
        var withEmptyPadding = Size(extraProperties, 0);
        if (withEmptyPadding <= bytes) return new BodyShape(bytes, extraProperties, bytes - withEmptyPadding);
        if (Size(extraProperties, -1) == bytes) return new BodyShape(bytes, extraProperties, -1);
        throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"A body must be at least {Size(0, 0)} bytes.");
    }
}
