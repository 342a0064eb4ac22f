using System.Text.Json;
using Akka.Event;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Twin;

/// <summary>
/// The built-in device behavior: keeps a <see cref="DeviceTwin"/> of each device's properties, events,
/// online status and lifecycle. It never throws for bad input — a body it cannot read is counted and
/// recorded as <see cref="DeviceTwin.LastError"/>, and the next message flows.
/// </summary>
/// <remarks>
/// Ordering rules (the platform guarantees no order, spec §3.5); an older value never overwrites a
/// newer one, and on a tie the later arrival wins:
/// <list type="bullet">
/// <item><b>Properties</b> (property post, property history post, property batch post): per identifier,
/// by the item's <c>time</c> (the device's time, or <c>gmtCreate</c> when it sent none).</item>
/// <item><b>Events</b> (event post, event history post, event batch post): per identifier, by <c>time</c>.</item>
/// <item><b>Status</b>: a notice replaces the current one when its key is not older, comparing first
/// <c>utcLastTime</c> (or <c>utcTime</c> when the notice has no last time) — which device session is
/// newer — and then <c>utcTime</c>, the instant of the change. So an <c>offline</c> of an earlier session
/// that arrives late cannot turn a device that has reconnected offline again.</item>
/// <item><b>Lifecycle</b>: by <c>messageCreateTime</c>. Lifecycle bodies are never logged (they carry the
/// device secret, which the payload reader does not even read).</item>
/// </list>
/// Custom (<c>/user/</c>), unknown and other topic kinds only increment <see cref="DeviceTwin.IgnoredMessages"/>.
/// </remarks>
public sealed class DeviceTwinBehavior : DeviceBehavior<DeviceTwin>
{
    public override DeviceTwin CreateInitialState(DeviceId device) => DeviceTwin.Empty(device);

    public override DeviceTwin Apply(DeviceTwin state, DeviceMessage message, IDeviceContext context) => message.Kind switch
    {
        MessageKind.Status => Read(state, message, context, PayloadReader.ReadStatus(message.Body), ApplyStatus),
        MessageKind.PropertyPost or MessageKind.PropertyHistoryPost => ApplyPropertyPost(state, message, context),
        MessageKind.PropertyBatchPost => Read(state, message, context, PayloadReader.ReadBatchPost(message.Body), ApplyPropertyBatch),
        MessageKind.EventPost or MessageKind.EventHistoryPost =>
            Read(state, message, context, PayloadReader.ReadEventPost(message.Body), ApplyEvent),
        MessageKind.EventBatchPost => Read(state, message, context, PayloadReader.ReadBatchPost(message.Body), ApplyEventBatch),
        MessageKind.Lifecycle => Read(state, message, context, PayloadReader.ReadLifecycle(message.Body), ApplyLifecycle),
        _ => state with { IgnoredMessages = state.IgnoredMessages + 1 },
    };

    private static DeviceTwin Read<T>(DeviceTwin state, DeviceMessage message, IDeviceContext context, PayloadResult<T> result, Func<DeviceTwin, T, DeviceTwin> apply)
        where T : class
    {
        if (result.IsSuccess) return apply(state, result.Value);

        // The reason names fields, never their values; the body itself is not logged.
        context.Log.Warning("Device twin {Device} ignored malformed {Kind} message {MessageId}: {Reason}",
            context.Device, message.Kind, message.MessageId, result.Reason);
        return state with
        {
            MalformedMessages = state.MalformedMessages + 1,
            LastError = new TwinError(message.MessageId, message.Topic, $"{result.Error}: {result.Reason}"),
        };
    }

    private static DeviceTwin ApplyStatus(DeviceTwin state, StatusPayload payload)
    {
        var candidate = new TwinStatus(payload.Status, payload.UtcTime, payload.UtcLastTime, payload.ClientIp);
        return state.Status is null || candidate.OrderKey.CompareTo(state.Status.OrderKey) >= 0
            ? state with { Status = candidate }
            : state;
    }

    // The most common message: its items are folded into the twin in one pass over the body (no document, no payload
    // record, no string for an identifier or a value the twin already has). A body the scanner does not vouch for —
    // malformed ones among them — goes through the reader, which says why.
    private static DeviceTwin ApplyPropertyPost(DeviceTwin state, DeviceMessage message, IDeviceContext context)
    {
        var update = new PropertyUpdate(state.Properties);
        if (!PropertyPostScanner.TryScan(message.Body.Span, ref update))
            return Read(state, message, context, PayloadReader.ReadPropertyPost(message.Body), ApplyProperties);
        var properties = update.Properties.ToMap();
        return ReferenceEquals(properties, state.Properties) ? state : state with { Properties = properties };
    }

    private struct PropertyUpdate(TwinMap<TwinProperty> properties) : IPropertyItemVisitor
    {
        public TwinMapUpdate<TwinProperty> Properties = new(properties);

        public void Item(ReadOnlySpan<byte> identifier, ReadOnlySpan<byte> rawValue, long time)
        {
            var id = TwinIdentifiers.Intern(identifier);
            // The scanner vouches that the post names each identifier once.
            var slot = Properties.Find(id, amongAdded: false);
            if (slot < 0)
            {
                Properties.Add(id, new TwinProperty(TwinText.Read(rawValue, null), time));
                return;
            }
            var current = Properties.ValueAt(slot);
            if (current.Time > time) return; // as Newest below
            var value = TwinText.Read(rawValue, current.ValueJson);
            if (current.Time != time || !ReferenceEquals(value, current.ValueJson)) Properties.Replace(slot, new TwinProperty(value, time));
        }
    }

    private static DeviceTwin ApplyProperties(DeviceTwin state, PropertyPostPayload payload)
    {
        var properties = new TwinMapUpdate<TwinProperty>(state.Properties);
        foreach (var (identifier, value) in payload.Items)
            Newest(ref properties, identifier, value.Value, value.Time);
        return With(state, properties.ToMap());
    }

    private static DeviceTwin ApplyPropertyBatch(DeviceTwin state, BatchPostPayload payload)
    {
        var properties = new TwinMapUpdate<TwinProperty>(state.Properties);
        foreach (var (identifier, values) in payload.Items)
        {
            foreach (var value in values)
                Newest(ref properties, identifier, value.Value, value.Time);
        }
        return With(state, properties.ToMap());
    }

    private static DeviceTwin With(DeviceTwin state, TwinMap<TwinProperty> properties) =>
        ReferenceEquals(properties, state.Properties) ? state : state with { Properties = properties };

    /// <summary>The value replaces the current one unless the current one is strictly newer (its text is read only then).</summary>
    private static void Newest(ref TwinMapUpdate<TwinProperty> properties, string identifier, JsonElement value, long time)
    {
        var id = TwinIdentifiers.Intern(identifier);
        var slot = properties.Find(id);
        if (slot >= 0 && properties.ValueAt(slot).Time > time) return;
        var property = new TwinProperty(value.GetRawText(), time);
        if (slot >= 0) properties.Replace(slot, property);
        else properties.Add(id, property);
    }

    private static DeviceTwin ApplyEvent(DeviceTwin state, EventPostPayload payload)
    {
        var events = new TwinMapUpdate<TwinEvent>(state.Events);
        Newest(ref events, payload.Identifier, new TwinEvent(payload.Type, payload.Value.GetRawText(), payload.Time));
        return state with { Events = events.ToMap() };
    }

    private static DeviceTwin ApplyEventBatch(DeviceTwin state, BatchPostPayload payload)
    {
        var events = new TwinMapUpdate<TwinEvent>(state.Events);
        foreach (var (identifier, values) in payload.Items)
        {
            foreach (var value in values)
                Newest(ref events, identifier, new TwinEvent(null, value.Value.GetRawText(), value.Time));
        }
        return state with { Events = events.ToMap() };
    }

    private static DeviceTwin ApplyLifecycle(DeviceTwin state, LifecyclePayload payload) =>
        state.Lifecycle is null || payload.MessageCreateTime >= state.Lifecycle.Time
            ? state with { Lifecycle = new TwinLifecycle(payload.Action, payload.MessageCreateTime) }
            : state;

    /// <summary><paramref name="candidate"/> replaces the current entry unless the current one is strictly newer.</summary>
    private static void Newest(ref TwinMapUpdate<TwinEvent> events, string identifier, TwinEvent candidate)
    {
        var id = TwinIdentifiers.Intern(identifier);
        var slot = events.Find(id);
        if (slot < 0) events.Add(id, candidate);
        else if (events.ValueAt(slot).Time <= candidate.Time) events.Replace(slot, candidate);
    }
}
