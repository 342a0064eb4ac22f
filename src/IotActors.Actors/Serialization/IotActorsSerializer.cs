using IotActors.Actors.Connections;
using System.Collections.Concurrent;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Akka.Util;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Twin;

namespace IotActors.Actors.Serialization;

/// <summary>
/// Compact binary serializer for every IotActors message that crosses nodes or is persisted: device
/// commands and replies, passivation, event-stream notifications, journal events and snapshots.
/// Registered by <see cref="IotActorsSerialization"/>.
/// </summary>
/// <remarks>
/// <para>Each type has a manifest of two letters and a format version (<c>DE1</c> = <see cref="DeviceEnvelope"/>,
/// version 1). A later format gets a new manifest (<c>DE2</c>) and this class keeps reading the old one,
/// so journals written by older versions stay readable. The identifier <see cref="SerializerId"/> is
/// stored with every journal row and must never change.</para>
/// <para><b>Behavior state and outputs</b> (<c>object</c> fields): the built-in <see cref="DeviceTwin"/> is
/// written in the binary format; any other type is written as System.Text.Json with its type name
/// (without assembly version) in front. So a custom device state (and anything passed to
/// <see cref="IDeviceContext.Emit"/>) must round-trip through System.Text.Json with default options —
/// public properties or a constructor whose parameters match them, immutable collections are fine — and
/// must keep its type name, or the journal can no longer be read.</para>
/// </remarks>
public sealed class IotActorsSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>This serializer's identifier, stored in journals: never change it.</summary>
    public const int SerializerId = 4711;

    internal const string DeviceEnvelopeManifest = "DE1";
    internal const string GetDeviceStateManifest = "GS1";
    internal const string ProcessedManifest = "PR1";
    internal const string ProcessingFailedManifest = "PF1";
    internal const string DeviceStateReplyManifest = "SR1";
    internal const string PassivateManifest = "PV1";
    internal const string StopDeviceManifest = "SD1";
    internal const string ParkedMessageManifest = "PM1";
    internal const string DeviceOutputManifest = "DO1";
    internal const string DeviceRecoveredManifest = "DR1";
    internal const string MessageAppliedManifest = "EA1";
    internal const string MessageParkedManifest = "EP1";
    internal const string DuplicateDroppedManifest = "ED1";
    internal const string DeviceSnapshotManifest = "SS2";
    /// <summary>Snapshots of the first format, whose messageId window held the IDs' text; still read.</summary>
    internal const string DeviceSnapshotOfIdsManifest = "SS1";
    internal const string DeviceTwinManifest = "TW1";
    internal const string GetConnectionStatusesManifest = "GC1";
    internal const string ConnectionStatusManifest = "CS1";
    internal const string ConnectionStatusesManifest = "CL1";
    internal const string StopConnectionDaemonManifest = "SC1";

    private const byte TwinValue = 1;
    private const byte JsonValue = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private static readonly ConcurrentDictionary<string, Type> TypesByName = new(StringComparer.Ordinal);

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        DeviceEnvelope => DeviceEnvelopeManifest,
        GetDeviceState => GetDeviceStateManifest,
        Processed => ProcessedManifest,
        ProcessingFailed => ProcessingFailedManifest,
        DeviceStateReply => DeviceStateReplyManifest,
        Passivate => PassivateManifest,
        StopDevice => StopDeviceManifest,
        ParkedMessage => ParkedMessageManifest,
        DeviceOutput => DeviceOutputManifest,
        DeviceRecovered => DeviceRecoveredManifest,
        MessageApplied => MessageAppliedManifest,
        MessageParked => MessageParkedManifest,
        DuplicateDropped => DuplicateDroppedManifest,
        DeviceSnapshot => DeviceSnapshotManifest,
        DeviceTwin => DeviceTwinManifest,
        GetConnectionStatuses => GetConnectionStatusesManifest,
        ConnectionStatus => ConnectionStatusManifest,
        ConnectionStatuses => ConnectionStatusesManifest,
        StopConnectionDaemon => StopConnectionDaemonManifest,
        _ => throw Unknown(o),
    };

    public override byte[] ToBinary(object obj)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case DeviceEnvelope envelope:
                    w.Write(envelope.Device);
                    w.Write(envelope.Message);
                    w.Write(envelope.Delivery);
                    break;
                case GetDeviceState query:
                    w.Write(query.Device);
                    break;
                case Processed processed:
                    w.Write(processed.Delivery);
                    w.Write((int)processed.Outcome);
                    break;
                case ProcessingFailed failed:
                    w.Write(failed.Delivery);
                    w.Write(failed.Reason);
                    break;
                case DeviceStateReply reply:
                    w.Write(reply.Device);
                    WriteValue(w, reply.State);
                    w.Write(reply.MessagesApplied);
                    w.Write(reply.DuplicatesDropped);
                    w.Write(reply.Parked);
                    w.Write(reply.LastSeen);
                    break;
                case Passivate passivate:
                    WriteNested(w, passivate.StopMessage);
                    break;
                case StopDevice:
                    break;
                case ParkedMessage parked:
                    w.Write(parked.Device);
                    w.Write(parked.MessageId);
                    w.Write(parked.Topic);
                    w.Write(parked.Reason);
                    w.WriteBytes(parked.Body.Span);
                    break;
                case DeviceOutput output:
                    w.Write(output.Device);
                    w.Write(output.MessageId);
                    WriteValue(w, output.Output);
                    break;
                case DeviceRecovered recovered:
                    w.Write(recovered.Device);
                    w.Write(recovered.SnapshotSequenceNr);
                    w.Write(recovered.EventsReplayed);
                    w.Write(recovered.MessagesApplied);
                    break;
                case MessageApplied applied:
                    w.Write(applied.MessageId);
                    w.Write(applied.ReceivedAt);
                    WriteValue(w, applied.State);
                    break;
                case MessageParked parked:
                    w.Write(parked.MessageId);
                    w.Write(parked.ReceivedAt);
                    break;
                case DuplicateDropped duplicate:
                    w.Write(duplicate.MessageId);
                    break;
                case DeviceSnapshot snapshot:
                    WriteValue(w, snapshot.State);
                    w.Write(snapshot.Dedupe);
                    w.Write(snapshot.MessagesApplied);
                    w.Write(snapshot.DuplicatesDropped);
                    w.Write(snapshot.Parked);
                    w.Write(snapshot.LastSeen);
                    break;
                case DeviceTwin twin:
                    w.Write(twin);
                    break;
                case GetConnectionStatuses or StopConnectionDaemon:
                    break;
                case ConnectionStatus status:
                    w.Write(status);
                    break;
                case ConnectionStatuses statuses:
                    w.Write(statuses.Connections.Count);
                    foreach (var status in statuses.Connections) w.Write(status);
                    break;
                default:
                    throw Unknown(obj);
            }
        }
        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), System.Text.Encoding.UTF8);
        object result = manifest switch
        {
            DeviceEnvelopeManifest => new DeviceEnvelope(r.ReadDeviceId(), r.ReadDeviceMessage(), r.ReadDeliveryRef()),
            GetDeviceStateManifest => new GetDeviceState(r.ReadDeviceId()),
            GetConnectionStatusesManifest => GetConnectionStatuses.Instance,
            StopConnectionDaemonManifest => StopConnectionDaemon.Instance,
            ConnectionStatusManifest => r.ReadConnectionStatus(),
            ConnectionStatusesManifest => new ConnectionStatuses(Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadConnectionStatus()).ToList()),
            ProcessedManifest => new Processed(r.ReadDeliveryRef(), (ProcessOutcome)r.ReadInt32()),
            ProcessingFailedManifest => new ProcessingFailed(r.ReadDeliveryRef(), r.ReadString()),
            DeviceStateReplyManifest => new DeviceStateReply(r.ReadDeviceId(), ReadValue(r), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()),
            PassivateManifest => new Passivate(ReadNested(r)),
            StopDeviceManifest => StopDevice.Instance,
            ParkedMessageManifest => new ParkedMessage(r.ReadDeviceId(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadBytes()),
            DeviceOutputManifest => new DeviceOutput(r.ReadDeviceId(), r.ReadString(), ReadValue(r)),
            DeviceRecoveredManifest => new DeviceRecovered(r.ReadDeviceId(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()),
            MessageAppliedManifest => new MessageApplied(r.ReadString(), r.ReadInt64(), ReadValue(r)),
            MessageParkedManifest => new MessageParked(r.ReadString(), r.ReadInt64()),
            DuplicateDroppedManifest => new DuplicateDropped(r.ReadString()),
            DeviceSnapshotManifest => new DeviceSnapshot(ReadValue(r), r.ReadDedupeWindow(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()),
            DeviceSnapshotOfIdsManifest => new DeviceSnapshot(ReadValue(r), r.ReadDedupeWindowOfIds(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()),
            DeviceTwinManifest => r.ReadDeviceTwin(),
            _ => throw new SerializationException($"{nameof(IotActorsSerializer)} does not know manifest '{manifest}'."),
        };
        if (r.BaseStream.Position != r.BaseStream.Length)
            throw new SerializationException($"{nameof(IotActorsSerializer)}: {r.BaseStream.Length - r.BaseStream.Position} unread bytes after a '{manifest}' message.");
        return result;
    }

    /// <summary>A behavior state or output: the twin in binary, anything else as System.Text.Json with its type name.</summary>
    private static void WriteValue(BinaryWriter w, object value)
    {
        if (value is DeviceTwin twin)
        {
            w.Write(TwinValue);
            w.Write(twin);
            return;
        }
        var type = value.GetType();
        w.Write(JsonValue);
        w.Write(type.TypeQualifiedName());
        w.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(value, type, Json));
    }

    private static object ReadValue(BinaryReader r)
    {
        switch (r.ReadByte())
        {
            case TwinValue:
                return r.ReadDeviceTwin();
            case JsonValue:
                var typeName = r.ReadString();
                var type = TypesByName.GetOrAdd(typeName, static name => Type.GetType(name, throwOnError: false)
                    ?? throw new SerializationException($"{nameof(IotActorsSerializer)}: state or output type '{name}' cannot be found."));
                return JsonSerializer.Deserialize(r.ReadBytes(), type, Json)
                    ?? throw new SerializationException($"{nameof(IotActorsSerializer)}: '{typeName}' deserialized to null.");
            case var tag:
                throw new SerializationException($"{nameof(IotActorsSerializer)}: unknown value tag {tag}.");
        }
    }

    /// <summary>A message of any type, through whichever serializer Akka has bound to it.</summary>
    private void WriteNested(BinaryWriter w, object message)
    {
        var serializer = system.Serialization.FindSerializerFor(message);
        w.Write(serializer.Identifier);
        w.Write(Akka.Serialization.Serialization.ManifestFor(serializer, message));
        w.WriteBytes(serializer.ToBinary(message));
    }

    private object ReadNested(BinaryReader r)
    {
        var serializerId = r.ReadInt32();
        var manifest = r.ReadString();
        return system.Serialization.Deserialize(r.ReadBytes(), serializerId, manifest);
    }

    private static ArgumentException Unknown(object o) =>
        new($"{nameof(IotActorsSerializer)} cannot serialize {o.GetType().FullName}; bind it to another serializer.", nameof(o));
}
