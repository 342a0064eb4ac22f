using IotActors.Platform.Errors;
using IotActors.Actors.Connections;
using System.Runtime.Serialization;
using IotActors.Actors.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Serialization;

/// <summary>
/// The field encodings <see cref="IotActorsSerializer"/> builds its messages from: <see cref="BinaryWriter"/>
/// primitives (little-endian, strings as 7-bit length + UTF-8), a presence byte before every optional
/// value, and collections as a count followed by their items (dictionaries in ordinal key order, so equal
/// states give equal bytes).
/// </summary>
internal static class BinaryFormat
{
    public static void WriteOptional(this BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    public static string? ReadOptionalString(this BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    public static void WriteOptional(this BinaryWriter w, long? value)
    {
        w.Write(value.HasValue);
        if (value.HasValue) w.Write(value.Value);
    }

    public static long? ReadOptionalInt64(this BinaryReader r) => r.ReadBoolean() ? r.ReadInt64() : null;

    public static void WriteBytes(this BinaryWriter w, ReadOnlySpan<byte> bytes)
    {
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    public static byte[] ReadBytes(this BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException($"Expected {length} bytes, found {bytes.Length}.");
        return bytes;
    }

    public static void Write(this BinaryWriter w, DeviceId device)
    {
        w.Write(device.ProductKey);
        w.Write(device.DeviceName);
    }

    public static DeviceId ReadDeviceId(this BinaryReader r) => new(r.ReadString(), r.ReadString());

    public static void Write(this BinaryWriter w, DeliveryRef delivery)
    {
        w.Write(delivery.ClientId);
        w.Write(delivery.Generation);
        w.Write(delivery.Sequence);
    }

    public static DeliveryRef ReadDeliveryRef(this BinaryReader r) => new(r.ReadString(), r.ReadInt64(), r.ReadInt64());

    public static void Write(this BinaryWriter w, DeviceMessage message)
    {
        w.Write(message.MessageId);
        w.Write(message.Topic);
        w.Write((int)message.Kind);
        w.WriteOptional(message.Identifier);
        w.WriteOptional(message.GenerateTime);
        w.Write(message.ReceivedAt);
        w.WriteBytes(message.Body.Span);
    }

    public static DeviceMessage ReadDeviceMessage(this BinaryReader r) => new(
        r.ReadString(),
        r.ReadString(),
        (MessageKind)r.ReadInt32(),
        r.ReadOptionalString(),
        r.ReadOptionalInt64(),
        r.ReadInt64(),
        r.ReadBytes());

    public static void Write(this BinaryWriter w, DedupeWindow window)
    {
        w.Write(window.Capacity);
        w.Write(window.Count);
        foreach (var hash in window.Hashes) w.Write(hash);
    }

    /// <summary>A window as written by <see cref="Write(BinaryWriter, DedupeWindow)"/>: capacity, count, the IDs' hashes oldest first.</summary>
    public static DedupeWindow ReadDedupeWindow(this BinaryReader r)
    {
        var capacity = r.ReadInt32();
        var count = r.ReadInt32();
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++) hashes[i] = r.ReadUInt64();
        return DedupeWindow.FromHashes(capacity, hashes);
    }

    /// <summary>A window as the first format stored it (snapshot manifest <c>SS1</c>): capacity, count, the IDs' text oldest first.</summary>
    public static DedupeWindow ReadDedupeWindowOfIds(this BinaryReader r)
    {
        var capacity = r.ReadInt32();
        var count = r.ReadInt32();
        var ids = new string[count];
        for (var i = 0; i < count; i++) ids[i] = r.ReadString();
        return DedupeWindow.From(capacity, ids);
    }

    public static void Write(this BinaryWriter w, ConnectionStatus s)
    {
        w.Write(s.ConsumerGroupId);
        w.Write(s.ClientId);
        w.Write((int)s.State);
        w.WriteOptional(s.LastError);
        w.WriteOptional(s.LastErrorClass is { } c ? (long)c : null);
        w.Write(s.Delivered);
        w.Write(s.Accepted);
        w.Write(s.Released);
        w.Write(s.InFlight);
        w.Write(s.Reconnects);
        w.Write(s.Since);
    }

    public static ConnectionStatus ReadConnectionStatus(this BinaryReader r) => new(
        r.ReadString(), r.ReadString(), (ConnectionState)r.ReadInt32(), r.ReadOptionalString(),
        r.ReadOptionalInt64() is { } c ? (CloseClass)c : null,
        r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadInt32(), r.ReadDateTimeOffset());

    public static void Write(this BinaryWriter w, DateTimeOffset time)
    {
        w.Write(time.UtcTicks);
        w.Write((short)time.Offset.TotalMinutes);
    }

    public static DateTimeOffset ReadDateTimeOffset(this BinaryReader r)
    {
        var utcTicks = r.ReadInt64();
        var offset = TimeSpan.FromMinutes(r.ReadInt16());
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    public static void Write(this BinaryWriter w, DeviceTwin twin)
    {
        w.Write(twin.Device);
        w.Write(twin.Properties.Count);
        foreach (var (identifier, property) in twin.Properties) // in identifier order, as before the maps kept it
        {
            w.Write(identifier);
            w.Write(property.ValueJson);
            w.Write(property.Time);
        }
        w.Write(twin.Events.Count);
        foreach (var (identifier, e) in twin.Events)
        {
            w.Write(identifier);
            w.WriteOptional(e.Type);
            w.Write(e.ValueJson);
            w.Write(e.Time);
        }
        w.Write(twin.Status is not null);
        if (twin.Status is { } status)
        {
            w.Write((int)status.Status);
            w.Write(status.Time);
            w.Write(status.LastTime.HasValue);
            if (status.LastTime is { } lastTime) w.Write(lastTime);
            w.WriteOptional(status.ClientIp);
        }
        w.Write(twin.Lifecycle is not null);
        if (twin.Lifecycle is { } lifecycle)
        {
            w.Write((int)lifecycle.Action);
            w.Write(lifecycle.Time);
        }
        w.Write(twin.MalformedMessages);
        w.Write(twin.IgnoredMessages);
        w.Write(twin.LastError is not null);
        if (twin.LastError is { } error)
        {
            w.Write(error.MessageId);
            w.Write(error.Topic);
            w.Write(error.Reason);
        }
    }

    public static DeviceTwin ReadDeviceTwin(this BinaryReader r)
    {
        var device = r.ReadDeviceId();
        var properties = new KeyValuePair<string, TwinProperty>[ReadCount(r)];
        for (var i = 0; i < properties.Length; i++)
            properties[i] = new(TwinIdentifiers.Intern(r.ReadString()), new TwinProperty(r.ReadString(), r.ReadInt64()));
        var events = new KeyValuePair<string, TwinEvent>[ReadCount(r)];
        for (var i = 0; i < events.Length; i++)
            events[i] = new(TwinIdentifiers.Intern(r.ReadString()), new TwinEvent(r.ReadOptionalString(), r.ReadString(), r.ReadInt64()));
        TwinStatus? status = null;
        if (r.ReadBoolean())
        {
            var value = (DeviceStatus)r.ReadInt32();
            var time = r.ReadDateTimeOffset();
            DateTimeOffset? lastTime = r.ReadBoolean() ? r.ReadDateTimeOffset() : null;
            status = new TwinStatus(value, time, lastTime, r.ReadOptionalString());
        }
        var lifecycle = r.ReadBoolean() ? new TwinLifecycle((LifecycleAction)r.ReadInt32(), r.ReadInt64()) : null;
        var malformed = r.ReadInt64();
        var ignored = r.ReadInt64();
        var lastError = r.ReadBoolean() ? new TwinError(r.ReadString(), r.ReadString(), r.ReadString()) : null;
        // Written in identifier order, so taken as they are (a map that is not is ordered again).
        return new DeviceTwin(device, TwinMap<TwinProperty>.FromOrdered(properties), TwinMap<TwinEvent>.FromOrdered(events),
            status, lifecycle, malformed, ignored, lastError);
    }

    // A count is checked before an array is sized by it: a corrupt snapshot fails as such, not as an out-of-memory.
    private static int ReadCount(BinaryReader r)
    {
        var count = r.ReadInt32();
        var left = r.BaseStream.CanSeek ? r.BaseStream.Length - r.BaseStream.Position : long.MaxValue;
        // Every entry takes at least 10 bytes (two empty strings and a time).
        if (count < 0 || count > left / 10) throw new SerializationException($"A twin's entry count of {count} does not fit the {left} bytes left.");
        return count;
    }
}
