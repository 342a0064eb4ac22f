using IotActors.Platform.Messages;

namespace IotActors.Actors.Twin;

/// <summary>
/// What the platform last said about a device, newest by the times inside the payloads (never by
/// arrival order, which the platform does not guarantee). Immutable; values are kept as raw JSON text so
/// the twin can be serialized as it is.
/// </summary>
/// <param name="Device">The device.</param>
/// <param name="Properties">TSL property identifier → newest reported value, in identifier order.</param>
/// <param name="Events">TSL event identifier → newest occurrence, in identifier order.</param>
/// <param name="Status">Newest online/offline notice; null until one arrives.</param>
/// <param name="Lifecycle">Newest lifecycle action; null until one arrives.</param>
/// <param name="MalformedMessages">Messages of a kind the twin reads whose body could not be read; state untouched.</param>
/// <param name="IgnoredMessages">Messages of kinds the twin does not model (custom <c>/user/</c> topics, unknown topics, OTA, replies…).</param>
/// <param name="LastError">The most recent malformed message, or null.</param>
/// <remarks>Message counters and last-seen time are kept by the device actor (see <c>DeviceStateReply</c>).</remarks>
public sealed record DeviceTwin(
    DeviceId Device,
    TwinMap<TwinProperty> Properties,
    TwinMap<TwinEvent> Events,
    TwinStatus? Status,
    TwinLifecycle? Lifecycle,
    long MalformedMessages,
    long IgnoredMessages,
    TwinError? LastError)
{
    public static DeviceTwin Empty(DeviceId device) => new(
        device,
        TwinMap<TwinProperty>.Empty,
        TwinMap<TwinEvent>.Empty,
        null,
        null,
        0,
        0,
        null);
}

/// <summary>The newest value of one TSL property.</summary>
/// <param name="ValueJson">The value as raw JSON (<c>21.5</c>, <c>"on"</c>, <c>{"latitude":31.2}</c>).</param>
/// <param name="Time">Its time, epoch ms: the device's, or the platform's receive time when the device sent none.</param>
/// <remarks>A value type: a twin keeps its properties in one array, without an object per property.</remarks>
public readonly record struct TwinProperty(string ValueJson, long Time);

/// <summary>The newest occurrence of one TSL event.</summary>
/// <param name="Type"><c>info</c>, <c>alert</c> or <c>error</c> from the TSL; null for batched events, which do not carry it.</param>
/// <param name="ValueJson">The event's output parameters as raw JSON.</param>
/// <param name="Time">Its time, epoch ms.</param>
public sealed record TwinEvent(string? Type, string ValueJson, long Time);

/// <summary>The newest online/offline notice (spec §5.1).</summary>
/// <param name="Status">Online or offline.</param>
/// <param name="Time"><c>utcTime</c>: when the change happened.</param>
/// <param name="LastTime"><c>utcLastTime</c>: the device's last communication before the change; null when the payload had none.</param>
/// <param name="ClientIp">The device's public IP, when the notice had one.</param>
public sealed record TwinStatus(DeviceStatus Status, DateTimeOffset Time, DateTimeOffset? LastTime, string? ClientIp)
{
    /// <summary>"Which session is newer" first (<c>utcLastTime</c>, or <c>utcTime</c> when absent), then the instant (<c>utcTime</c>).</summary>
    internal (DateTimeOffset Session, DateTimeOffset Instant) OrderKey => (LastTime ?? Time, Time);
}

/// <summary>The newest lifecycle action (spec §5.7) by the platform's <c>messageCreateTime</c> (epoch ms).</summary>
public sealed record TwinLifecycle(LifecycleAction Action, long Time);

/// <summary>Why the newest malformed message could not be read; never holds body content.</summary>
public sealed record TwinError(string MessageId, string Topic, string Reason);
