using System.Collections.Immutable;
using Akka.Actor;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Devices;

/// <summary>Tells the probe every attempt to apply a message.</summary>
internal sealed record Attempted(DeviceId Device, string MessageId, int Attempt);

/// <summary>
/// Appends each applied messageId to its state, and emits <c>"out:{messageId}"</c> before deciding. The body
/// steers failures: <c>fail</c> throws on every attempt, <c>fail:N</c> on the first N attempts of that messageId.
/// </summary>
internal sealed class RecordingBehavior(IActorRef? probe = null, Action<DeviceId, string>? onApplied = null) : DeviceBehavior<ImmutableList<string>>
{
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public RecordingBehavior()
        : this(null)
    {
    }

    public override ImmutableList<string> CreateInitialState(DeviceId device) => [];

    public override ImmutableList<string> Apply(ImmutableList<string> state, DeviceMessage message, IDeviceContext context)
    {
        var attempt = _attempts[message.MessageId] = _attempts.GetValueOrDefault(message.MessageId) + 1;
        probe?.Tell(new Attempted(context.Device, message.MessageId, attempt));
        context.Emit("out:" + message.MessageId);

        var body = System.Text.Encoding.UTF8.GetString(message.Body.Span);
        if (body == "fail" || (body.StartsWith("fail:", StringComparison.Ordinal) && attempt <= int.Parse(body[5..])))
            throw new InvalidOperationException($"test failure of {message.MessageId} (attempt {attempt})");

        onApplied?.Invoke(context.Device, message.MessageId);
        return state.Add(message.MessageId);
    }
}
