using System.Collections.Immutable;
using System.Text.Json;
using IotActors.Platform.Messages;

namespace IotActors.Emulator.Simulation;

/// <summary>
/// What a correct consumer of a simulator's messages ends with, whatever order the messages
/// arrive in and however often each is delivered: per device the newest value of each property
/// (by the item's own <c>time</c>), the newest status (by <c>utcLastTime</c>, then
/// <c>utcTime</c>), the newest event of each identifier (by its <c>time</c>), the lifecycle and
/// the number of distinct message IDs. An immutable snapshot; later messages do not change it.
/// </summary>
public sealed class GroundTruth
{
    internal GroundTruth(ImmutableDictionary<DeviceId, DeviceTruth> devices, long totalMessages)
    {
        Devices = devices;
        TotalMessages = totalMessages;
    }

    /// <summary>Every device that has sent at least one message.</summary>
    public ImmutableDictionary<DeviceId, DeviceTruth> Devices { get; }

    /// <summary>Distinct messages generated, over all devices.</summary>
    public long TotalMessages { get; }

    public DeviceTruth this[DeviceId device] => Devices[device];
}

/// <summary>The expected end state of one device. See <see cref="GroundTruth"/> for the ordering rules.</summary>
/// <param name="Device">Product key and device name.</param>
/// <param name="IotId">The platform's ID of the device, as in every payload.</param>
/// <param name="Properties">Newest value of each property identifier, by item time.</param>
/// <param name="Status">Newest online/offline notice, or null if none was sent.</param>
/// <param name="Events">Newest event of each event identifier, by event time.</param>
/// <param name="Lifecycle">Latest lifecycle notice (the simulator sends <c>create</c> once per device).</param>
/// <param name="DistinctMessages">Number of distinct message IDs about this device.</param>
public sealed record DeviceTruth(
    DeviceId Device,
    string IotId,
    ImmutableDictionary<string, PropertyTruth> Properties,
    StatusTruth? Status,
    ImmutableDictionary<string, EventTruth> Events,
    LifecycleTruth? Lifecycle,
    int DistinctMessages);

/// <summary>A property value as it appeared in the payload, and its item time.</summary>
/// <param name="Identifier">The TSL property identifier, e.g. <c>Temperature</c>.</param>
/// <param name="ValueJson">The value's JSON text exactly as written in the body (a number, or an object for nested properties).</param>
/// <param name="Time">The item's own <c>time</c>, epoch ms.</param>
/// <param name="MessageId">The message that carried it.</param>
public sealed record PropertyTruth(string Identifier, string ValueJson, long Time, string MessageId)
{
    /// <summary>Structural JSON equality with a value a consumer kept (number formatting aside, <c>21.5</c> equals <c>21.50</c>).</summary>
    public bool ValueEquals(JsonElement value)
    {
        using var expected = JsonDocument.Parse(ValueJson);
        return JsonElement.DeepEquals(expected.RootElement, value);
    }
}

/// <summary>The newest online/offline notice of a device.</summary>
/// <param name="Status"><c>online</c> or <c>offline</c>.</param>
/// <param name="UtcTime">When the notice was produced (<c>utcTime</c>).</param>
/// <param name="UtcLastTime">The device's last communication before the change (<c>utcLastTime</c>).</param>
/// <param name="ClientIp">The device's public IP as sent.</param>
/// <param name="MessageId">The message that carried it.</param>
public sealed record StatusTruth(string Status, DateTimeOffset UtcTime, DateTimeOffset UtcLastTime, string? ClientIp, string MessageId);

/// <summary>The newest event of one identifier.</summary>
/// <param name="Identifier">The TSL event identifier, e.g. <c>Overheat</c>.</param>
/// <param name="Type"><c>info</c>, <c>alert</c> or <c>error</c>.</param>
/// <param name="ValueJson">The event's <c>value</c> object as JSON text.</param>
/// <param name="Time">The event's own <c>time</c>, epoch ms.</param>
/// <param name="MessageId">The message that carried it.</param>
public sealed record EventTruth(string Identifier, string Type, string ValueJson, long Time, string MessageId)
{
    /// <summary>Structural JSON equality with an event value a consumer kept.</summary>
    public bool ValueEquals(JsonElement value)
    {
        using var expected = JsonDocument.Parse(ValueJson);
        return JsonElement.DeepEquals(expected.RootElement, value);
    }
}

/// <summary>The latest lifecycle notice of a device.</summary>
/// <param name="Action"><c>create</c>, <c>delete</c>, <c>enable</c> or <c>disable</c>.</param>
/// <param name="MessageCreateTime">Epoch ms.</param>
/// <param name="MessageId">The message that carried it.</param>
public sealed record LifecycleTruth(string Action, long MessageCreateTime, string MessageId);
