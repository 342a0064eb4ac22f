using Akka.Actor;
using Akka.Event;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Diagnostics;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// One device (<c>productKey/deviceName</c>): drops redeliveries by messageId, applies each message to
/// the user's <see cref="DeviceBehavior{TState}"/> one at a time in arrival order, and answers the sender
/// of each <see cref="DeviceEnvelope"/> with <see cref="Processed"/> (or <see cref="ProcessingFailed"/>).
/// </summary>
/// <remarks>
/// <para><b>Failures.</b> When <c>Apply</c> throws, the same message is tried again after
/// <see cref="DeviceOptions.RetryBackoff"/>, doubling, up to <see cref="DeviceOptions.MaxRetries"/> times.
/// Meanwhile every other message for the device is stashed, so order holds; queries are still answered.
/// Then the message is parked (<see cref="ParkedMessage"/> on the event stream, reply
/// <see cref="ProcessOutcome.Parked"/>, its messageId remembered) — or, with
/// <see cref="DeviceOptions.LeaveFailedUnaccepted"/>, answered with <see cref="ProcessingFailed"/> and not
/// remembered, so its redelivery is tried afresh.</para>
/// <para><b>Passivation.</b> After <see cref="DeviceOptions.PassivateAfter"/> without messages the actor
/// sends <see cref="Passivate"/> to its parent, which buffers new messages for it and stops it; buffered
/// messages start a new incarnation. Without persistence that incarnation starts from the initial state
/// with an empty messageId window: state survives passivation only once it is persisted.</para>
/// </remarks>
public sealed class DeviceActor<TState> : ReceiveActor, IWithUnboundedStash, IWithTimers
    where TState : notnull
{
    private const string RetryTimerKey = "retry";

    private readonly DeviceId _device;
    private readonly DeviceBehavior<TState> _behavior;
    private readonly DeviceOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DeviceActorState<TState> _state;
    private Attempt? _retrying;

    public DeviceActor(DeviceId device, DeviceBehavior<TState> behavior, DeviceOptions options)
    {
        _device = device;
        _behavior = behavior;
        _options = options;
        _state = DeviceActorState<TState>.Initial(behavior.CreateInitialState(device), options.DedupeWindow);
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The current state (for tests and, later, snapshots).</summary>
    internal DeviceActorState<TState> State => _state;

    /// <summary>Props for one device; <paramref name="behavior"/> must be an instance of its own (not shared with other devices).</summary>
    public static Props Props(DeviceId device, DeviceBehavior<TState> behavior, DeviceOptions options) =>
        Akka.Actor.Props.Create(() => new DeviceActor<TState>(device, behavior, options));

    protected override void PreStart() => Context.SetReceiveTimeout(_options.PassivateAfter);

    private void Ready()
    {
        Receive<DeviceEnvelope>(envelope => Handle(envelope, Sender));
        Receive<GetDeviceState>(_ => Sender.Tell(Reply()));
        Receive<ReceiveTimeout>(_ => RequestPassivation());
        Receive<StopDevice>(_ => Context.Stop(Self));
    }

    private void Retrying()
    {
        Receive<RetryTick>(_ => TryApply(_retrying!));
        Receive<GetDeviceState>(_ => Sender.Tell(Reply()));
        // A message is in flight: the device is not idle.
        Receive<ReceiveTimeout>(_ => { });
        // Envelopes and the passivation stop message wait for the retried message, in arrival order.
        ReceiveAny(_ => Stash.Stash());
    }

    private void Handle(DeviceEnvelope envelope, IActorRef replyTo)
    {
        var messageId = envelope.Message.MessageId;
        if (_state.Dedupe.Contains(messageId))
        {
            _state = _state.WithDuplicate();
            IotActorsMetrics.Duplicates.Add(1, Tags(envelope));
            _log.Debug("Device {Device} dropped duplicate message {MessageId}", _device, messageId);
            replyTo.Tell(new Processed(envelope.Delivery, ProcessOutcome.Duplicate));
            return;
        }
        TryApply(new Attempt(envelope, replyTo, 1));
    }

    private void TryApply(Attempt attempt)
    {
        var message = attempt.Envelope.Message;
        var context = new DeviceContext(_device, message, _log);
        TState next;
        try
        {
            next = _behavior.Apply(_state.User, message, context)
                ?? throw new InvalidOperationException($"{_behavior.GetType().Name}.Apply returned null.");
        }
        catch (Exception e)
        {
            context.Close();
            Failed(attempt, e);
            return;
        }

        var outputs = context.Close();
        _state = _state.WithApplied(next, message.MessageId, message.ReceivedAt);
        foreach (var output in outputs)
            Context.System.EventStream.Publish(new DeviceOutput(_device, message.MessageId, output));
        attempt.ReplyTo.Tell(new Processed(attempt.Envelope.Delivery, ProcessOutcome.Applied));
        Done();
    }

    private void Failed(Attempt attempt, Exception error)
    {
        var message = attempt.Envelope.Message;
        if (attempt.Number <= _options.MaxRetries)
        {
            var delay = _options.BackoffBefore(attempt.Number);
            _log.Warning(error, "Device {Device} failed to apply message {MessageId} (attempt {Attempt}); retrying in {RetryDelay}",
                _device, message.MessageId, attempt.Number, delay);
            if (_retrying is null) Become(Retrying);
            _retrying = attempt with { Number = attempt.Number + 1 };
            Timers.StartSingleTimer(RetryTimerKey, RetryTick.Instance, delay);
            return;
        }

        var reason = $"{error.GetType().FullName}: {error.Message} (after {attempt.Number} attempts)";
        if (_options.LeaveFailedUnaccepted)
        {
            _log.Error(error, "Device {Device} gave up on message {MessageId} after {Attempts} attempts; leaving it unaccepted for redelivery",
                _device, message.MessageId, attempt.Number);
            attempt.ReplyTo.Tell(new ProcessingFailed(attempt.Envelope.Delivery, reason));
        }
        else
        {
            _log.Error(error, "Device {Device} parked message {MessageId} on {Topic} after {Attempts} attempts",
                _device, message.MessageId, message.Topic, attempt.Number);
            _state = _state.WithParked(message.MessageId, message.ReceivedAt);
            // Lifecycle bodies carry the device secret; a parked message must not spread it.
            var body = message.Kind == MessageKind.Lifecycle ? ReadOnlyMemory<byte>.Empty : message.Body;
            Context.System.EventStream.Publish(new ParkedMessage(_device, message.MessageId, message.Topic, reason, body));
            IotActorsMetrics.Parked.Add(1, Tags(attempt.Envelope));
            attempt.ReplyTo.Tell(new Processed(attempt.Envelope.Delivery, ProcessOutcome.Parked));
        }
        Done();
    }

    /// <summary>The current message is settled: leave the retry state and let stashed messages through, in order.</summary>
    private void Done()
    {
        if (_retrying is null) return;
        _retrying = null;
        Become(Ready);
        Stash.UnstashAll();
    }

    private void RequestPassivation()
    {
        _log.Debug("Device {Device} idle for {PassivateAfter}; asking to passivate", _device, _options.PassivateAfter);
        Context.Parent.Tell(new Passivate(StopDevice.Instance));
    }

    private DeviceStateReply Reply() => new(_device, _state.User, _state.MessagesApplied, _state.DuplicatesDropped, _state.Parked, _state.LastSeen);

    private System.Diagnostics.TagList Tags(DeviceEnvelope envelope) => IotActorsMetrics.Tags(envelope.Delivery.ClientId, _device.ProductKey);

    /// <summary>One try of one message; <see cref="Number"/> is 1 for the first.</summary>
    private sealed record Attempt(DeviceEnvelope Envelope, IActorRef ReplyTo, int Number);

    private sealed class RetryTick
    {
        public static readonly RetryTick Instance = new();
    }
}

/// <summary>The stop message a device actor hands its parent in <see cref="Passivate"/>.</summary>
internal sealed class StopDevice
{
    public static readonly StopDevice Instance = new();

    private StopDevice()
    {
    }
}
