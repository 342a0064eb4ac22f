using System.Collections.Immutable;
using IotActors.Platform.Messages;

namespace IotActors.Emulator.Simulation;

/// <summary>Builds a <see cref="GroundTruth"/> while the simulator generates, applying the same ordering rules a consumer must.</summary>
internal sealed class GroundTruthRecorder
{
    private readonly Dictionary<DeviceId, DeviceState> _devices = [];
    private long _total;

    /// <summary>Counts one message; the simulator's message IDs are unique by construction, so every call is a distinct message.</summary>
    public void Message(DeviceId device, string iotId)
    {
        Get(device, iotId).Messages++;
        _total++;
    }

    /// <summary>Newest item time wins; the generator never emits a tie with the current newest.</summary>
    public void Property(DeviceId device, PropertyTruth property)
    {
        var properties = _devices[device].Properties;
        if (!properties.TryGetValue(property.Identifier, out var known) || property.Time > known.Time)
        {
            properties[property.Identifier] = property;
        }
    }

    public long? NewestPropertyTime(DeviceId device, string identifier) =>
        _devices.TryGetValue(device, out var state) && state.Properties.TryGetValue(identifier, out var known) ? known.Time : null;

    public long? NewestEventTime(DeviceId device, string identifier) =>
        _devices.TryGetValue(device, out var state) && state.Events.TryGetValue(identifier, out var known) ? known.Time : null;

    public void Event(DeviceId device, EventTruth @event)
    {
        var events = _devices[device].Events;
        if (!events.TryGetValue(@event.Identifier, out var known) || @event.Time > known.Time)
        {
            events[@event.Identifier] = @event;
        }
    }

    /// <summary>Newer session first (<c>utcLastTime</c>), then the later notice (<c>utcTime</c>).</summary>
    public void Status(DeviceId device, StatusTruth status)
    {
        var state = _devices[device];
        if (state.Status is not { } known
            || (status.UtcLastTime, status.UtcTime).CompareTo((known.UtcLastTime, known.UtcTime)) > 0)
        {
            state.Status = status;
        }
    }

    public void Lifecycle(DeviceId device, LifecycleTruth lifecycle)
    {
        var state = _devices[device];
        if (state.Lifecycle is not { } known || lifecycle.MessageCreateTime >= known.MessageCreateTime)
        {
            state.Lifecycle = lifecycle;
        }
    }

    public GroundTruth Snapshot() => new(
        _devices.ToImmutableDictionary(
            d => d.Key,
            d => new DeviceTruth(
                d.Key,
                d.Value.IotId,
                d.Value.Properties.ToImmutableDictionary(StringComparer.Ordinal),
                d.Value.Status,
                d.Value.Events.ToImmutableDictionary(StringComparer.Ordinal),
                d.Value.Lifecycle,
                d.Value.Messages)),
        _total);

    private DeviceState Get(DeviceId device, string iotId)
    {
        if (!_devices.TryGetValue(device, out var state))
        {
            state = new DeviceState(iotId);
            _devices.Add(device, state);
        }
        return state;
    }

    private sealed class DeviceState(string iotId)
    {
        public string IotId { get; } = iotId;

        public int Messages { get; set; }

        public Dictionary<string, PropertyTruth> Properties { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, EventTruth> Events { get; } = new(StringComparer.Ordinal);

        public StatusTruth? Status { get; set; }

        public LifecycleTruth? Lifecycle { get; set; }
    }
}
