using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Diagnostics;
using IotActors.Actors.Persistence;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Devices;

/// <summary>
/// One device (<c>productKey/deviceName</c>): drops redeliveries by messageId, applies each message to
/// the user's <see cref="DeviceBehavior{TState}"/> one at a time in arrival order, persists the outcome, and
/// only then answers the sender of each <see cref="DeviceEnvelope"/> with <see cref="Processed"/> (or
/// <see cref="ProcessingFailed"/>).
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> Every settled message is one journal event (<see cref="MessageApplied"/> with the
/// new behavior state, <see cref="MessageParked"/>, or <see cref="DuplicateDropped"/>); the reply and the
/// behavior's outputs follow the write. A dropped duplicate's counter event is written without blocking the device
/// (its answer still follows that write). Every <see cref="DeviceOptions.SnapshotEvery"/> events (at a phase of the
/// device's own, <see cref="DeviceOptions.SpreadSnapshots"/>) a <see cref="DeviceSnapshot"/> is saved and older
/// snapshots and (<see cref="DeviceOptions.DeleteEventsOnSnapshot"/>) events are deleted, so recovery replays at
/// most that many events. Recovery only restores state: it never calls the behavior and emits nothing.
/// The persistence ID is <see cref="PersistenceIdOf"/>. Which journal is used is configuration
/// (<c>WithDevicePersistence</c>); without one, Akka's in-memory journal keeps state for the life of the
/// actor system only.</para>
/// <para><b>State writes on stop</b> (<see cref="DeviceStateWrites.OnStop"/>, for the in-memory store only): the first
/// settled message is journaled as above (so the device is listed and has a sequence number); every later one changes
/// the state in the actor and is answered at once. The state is written as a snapshot when the actor stops or
/// restarts (<see cref="PostStop"/>, which Akka also runs before a restart), over the previous one, and recovered
/// from it by the next incarnation.</para>
/// <para><b>Journal failures.</b> When a write fails the sender gets <see cref="ProcessingFailed"/> (the
/// delivery is released and redelivered) and the actor stops; its next message starts an incarnation that
/// recovers from the journal. When the journal rejects an event (its state cannot be serialized) the message
/// is treated like one whose <c>Apply</c> kept failing: parked, or left unaccepted.</para>
/// <para><b>Failures.</b> When <c>Apply</c> throws, the same message is tried again after
/// <see cref="DeviceOptions.RetryBackoff"/>, doubling, up to <see cref="DeviceOptions.MaxRetries"/> times.
/// Meanwhile every other message for the device is stashed, so order holds; queries are still answered.
/// Then the message is parked (<see cref="ParkedMessage"/> on the event stream, reply
/// <see cref="ProcessOutcome.Parked"/>, its messageId remembered) — or, with
/// <see cref="DeviceOptions.LeaveFailedUnaccepted"/>, answered with <see cref="ProcessingFailed"/> and not
/// remembered, so its redelivery is tried afresh.</para>
/// <para><b>Passivation</b> is the region's: after <see cref="DeviceOptions.PassivateAfter"/> without commands the shard
/// (or the local <see cref="DeviceRouter"/>) buffers new commands for the device and sends it <c>StopDevice</c>, which it
/// handles after the commands already in its mailbox (and, while retrying a message, after that message is settled);
/// buffered commands start a new incarnation, which recovers state, counters and the messageId window. The device
/// keeps no timer of its own: a receive timeout would keep a timer registration in every resident device and replace
/// it on every message.</para>
/// </remarks>
public sealed class DeviceActor<TState> : PersistentActor
    where TState : notnull
{
    private readonly DeviceId _device;
    private readonly DeviceBehavior<TState> _behavior;
    private readonly DeviceOptions _options;
    private DeviceActorState<TState> _state;
    private Attempt? _retrying;
    private ICancelable? _retryTimer;
    private Attempt? _persisting;
    private long _snapshotSequenceNr;
    private long _snapshotAt; // sequence number of the newest snapshot recovered or taken

    private long _eventsReplayed;
    private bool _unsaved; // StateWrites.OnStop: the state changed since it was last journaled or snapshotted

    public DeviceActor(DeviceId device, DeviceBehavior<TState> behavior, DeviceOptions options)
    {
        _device = device;
        _behavior = behavior;
        _options = options;
        PersistenceId = PersistenceIdOf(device);
        _state = DeviceActorState<TState>.Initial(behavior.CreateInitialState(device), options.DedupeWindow);
    }

    public override string PersistenceId { get; }

    /// <summary>The current state (for tests).</summary>
    internal DeviceActorState<TState> State => _state;

    /// <summary>The journal's ID for a device: <c>device-{productKey}/{deviceName}</c> (device names cannot contain '/').</summary>
    public static string PersistenceIdOf(DeviceId device) => "device-" + device;

    /// <summary>Props for one device; <paramref name="behavior"/> must be an instance of its own (not shared with other devices).</summary>
    public static Props Props(DeviceId device, DeviceBehavior<TState> behavior, DeviceOptions options) =>
        Akka.Actor.Props.CreateBy(new DeviceActorProducer<TState>(device, behavior, options));

    protected override void PreStart()
    {
        // Counted by the actor itself, so the gauge is right under Cluster Sharding and under the local router alike.
        IotActorsMetrics.DevicesAlive.Add(1, new KeyValuePair<string, object?>(IotActorsMetrics.ProductKeyTag, _device.ProductKey));
    }

    protected override void PostStop()
    {
        _retryTimer?.Cancel();
        if (_unsaved) SaveOnStop();
        IotActorsMetrics.DevicesAlive.Add(-1, new KeyValuePair<string, object?>(IotActorsMetrics.ProductKeyTag, _device.ProductKey));
        base.PostStop();
    }

    // Plain switches rather than ReceivePersistentActor's Command<T>/Recover<T>: those build a handler table and a dozen
    // delegates in every instance, about 1.4 KB per resident device (measured in BENCHMARKS.md), and dispatch slower.
    protected override bool ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                Restore(offer);
                return true;
            case IDeviceEvent e:
                _eventsReplayed++;
                Update(e);
                return true;
            case RecoveryCompleted:
                Recovered();
                return true;
            default:
                return false;
        }
    }

    /// <summary>The usual behavior: one message at a time, queries answered.</summary>
    protected override bool ReceiveCommand(object message)
    {
        switch (message)
        {
            case DeviceEnvelope envelope:
                Handle(envelope, Sender);
                return true;
            case GetDeviceState:
                Sender.Tell(Reply());
                return true;
            case StopDevice:
                Context.Stop(Self);
                return true;
            default:
                return SnapshotHousekeeping(message);
        }
    }

    /// <summary>A message is being retried: queries are answered, everything else waits for it, in arrival order.</summary>
    private bool Retrying(object message)
    {
        switch (message)
        {
            case RetryTick:
                TryApply(_retrying!);
                return true;
            case GetDeviceState:
                Sender.Tell(Reply());
                return true;
            default:
                // Envelopes and the passivation stop message wait for the retried message, in arrival order.
                if (!SnapshotHousekeeping(message)) Stash.Stash();
                return true;
        }
    }

    private bool SnapshotHousekeeping(object message)
    {
        switch (message)
        {
            case SaveSnapshotSuccess success:
                // The snapshot covers everything up to its sequence number: older events and snapshots only cost recovery time
                // (events are kept all the same when DeleteEventsOnSnapshot is off: a history for other readers).
                // The newest event stays: once every journal row of a device is marked deleted, the SQL journal's
                // CurrentPersistenceIds (the host's device list) no longer names the device. Recovery starts after the
                // snapshot, so the kept event is never replayed.
                // Nothing older than sequence number 1: Akka's in-memory snapshot store reads a bound of 0 as "all of them",
                // which would drop the snapshot just saved.
                if (success.Metadata.SequenceNr > 1)
                {
                    if (_options.DeleteEventsOnSnapshot) DeleteMessages(success.Metadata.SequenceNr - 1);
                    DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
                }
                return true;
            case SaveSnapshotFailure failure:
                Log.Warning(failure.Cause, "Device {Device} could not save a snapshot at {SequenceNr}; recovery replays more events until the next one",
                    _device, failure.Metadata.SequenceNr);
                return true;
            case DeleteMessagesFailure failure:
                Log.Warning(failure.Cause, "Device {Device} could not delete events up to {SequenceNr}", _device, failure.ToSequenceNr);
                return true;
            case DeleteSnapshotsFailure failure:
                Log.Warning(failure.Cause, "Device {Device} could not delete old snapshots", _device);
                return true;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess:
                return true;
            default:
                return false;
        }
    }

    private void Restore(SnapshotOffer offer)
    {
        _snapshotAt = offer.Metadata.SequenceNr;
        if (offer.Snapshot is not DeviceSnapshot { State: TState user } snapshot)
            throw new InvalidOperationException(
                $"Device {_device}: snapshot {offer.Metadata.SequenceNr} holds {offer.Snapshot.GetType().Name}, not a device snapshot with a {typeof(TState).Name} state.");
        _snapshotSequenceNr = offer.Metadata.SequenceNr;
        _state = new DeviceActorState<TState>(
            user,
            snapshot.Dedupe.WithCapacity(_options.DedupeWindow),
            snapshot.MessagesApplied,
            snapshot.DuplicatesDropped,
            snapshot.Parked,
            snapshot.LastSeen);
    }

    private void Recovered()
    {
        if (LastSequenceNr > 0)
            Log.Debug("Device {Device} recovered from snapshot {SnapshotSequenceNr} and {EventsReplayed} events", _device, _snapshotSequenceNr, _eventsReplayed);
        Context.System.EventStream.Publish(new DeviceRecovered(_device, _snapshotSequenceNr, _eventsReplayed, _state.MessagesApplied));
    }

    /// <summary>The one place state changes, for live events and replayed ones alike.</summary>
    private void Update(IDeviceEvent e) => _state = e switch
    {
        MessageApplied applied => _state.WithApplied(
            applied.State is TState user
                ? user
                : throw new InvalidOperationException($"Device {_device}: event for {applied.MessageId} holds {applied.State.GetType().Name}, not {typeof(TState).Name}."),
            applied.MessageId,
            applied.ReceivedAt),
        MessageParked parked => _state.WithParked(parked.MessageId, parked.ReceivedAt),
        DuplicateDropped => _state.WithDuplicate(),
        _ => throw new InvalidOperationException($"Device {_device}: unknown event {e.GetType().Name}."),
    };

    private void Handle(DeviceEnvelope envelope, IActorRef replyTo)
    {
        var messageId = envelope.Message.MessageId;
        if (_state.Dedupe.Contains(messageId))
        {
            // The counter's write must not hold up the device: with a blocking Persist every redelivery cost a journal
            // round trip on the device's path, so under a redelivery storm on a slow journal later messages missed
            // their deadlines and came back as more duplicates. PersistAsync lets the device go on; the reply still
            // follows the write (accepted after persisted, duplicates too). Counted now, so a state query sees it.
            _state = _state.WithDuplicate();
            IotActorsMetrics.Duplicates.Add(1, Tags(envelope));
            Log.Debug("Device {Device} dropped duplicate message {MessageId}", _device, messageId);
            if (KeepsStateInActor)
            {
                _unsaved = true;
                replyTo.Tell(new Processed(envelope.Delivery, ProcessOutcome.Duplicate));
                return;
            }
            // No snapshot from here: another duplicate's write may still be in flight, counted but not yet journaled.
            PersistAsync(new DuplicateDropped(messageId), _ => replyTo.Tell(new Processed(envelope.Delivery, ProcessOutcome.Duplicate)));
            return;
        }
        TryApply(new Attempt(envelope, replyTo, 1));
    }

    private void TryApply(Attempt attempt)
    {
        var message = attempt.Envelope.Message;
        var context = new DeviceContext(_device, message, Log);
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

        attempt.Outputs = context.Close();
        var applied = new MessageApplied(message.MessageId, message.ReceivedAt, next);
        // Every message comes this way, so no closure is made for it (BENCHMARKS.md, round 15): the attempt travels in
        // _persisting, as it does for OnPersistFailure, and the handler is a method.
        if (KeepsStateInActor)
        {
            Update(applied);
            _unsaved = true;
            Applied(attempt);
            return;
        }
        _persisting = attempt;
        Persist(applied, OnAppliedPersisted);
    }

    private void OnAppliedPersisted(MessageApplied persisted)
    {
        var attempt = _persisting!;
        _persisting = null;
        Update(persisted);
        Applied(attempt);
        SnapshotIfDue();
    }

    /// <summary>The behavior's state for <paramref name="attempt"/> is kept: its outputs go out, then the reply.</summary>
    private void Applied(Attempt attempt)
    {
        foreach (var output in attempt.Outputs)
            Context.System.EventStream.Publish(new DeviceOutput(_device, attempt.Envelope.Message.MessageId, output));
        attempt.ReplyTo.Tell(new Processed(attempt.Envelope.Delivery, ProcessOutcome.Applied));
        Done();
    }

    private void Failed(Attempt attempt, Exception error)
    {
        var message = attempt.Envelope.Message;
        if (attempt.Number <= _options.MaxRetries)
        {
            var delay = _options.BackoffBefore(attempt.Number);
            Log.Warning(error, "Device {Device} failed to apply message {MessageId} (attempt {Attempt}); retrying in {RetryDelay}",
                _device, message.MessageId, attempt.Number, delay);
            if (_retrying is null) Context.Become(Retrying);
            _retrying = attempt with { Number = attempt.Number + 1 };
            // The scheduler rather than IWithTimers: a timer scheduler in every device would cost memory for a rare retry.
            _retryTimer = Context.System.Scheduler.ScheduleTellOnceCancelable(delay, Self, RetryTick.Instance, Self);
            return;
        }
        GiveUp(attempt, error, $"{error.GetType().FullName}: {error.Message} (after {attempt.Number} attempts)");
    }

    /// <summary>Parks the message, or with <see cref="DeviceOptions.LeaveFailedUnaccepted"/> hands it back unaccepted.</summary>
    private void GiveUp(Attempt attempt, Exception error, string reason)
    {
        var message = attempt.Envelope.Message;
        if (_options.LeaveFailedUnaccepted)
        {
            Log.Error(error, "Device {Device} gave up on message {MessageId} after {Attempts} attempts; leaving it unaccepted for redelivery",
                _device, message.MessageId, attempt.Number);
            attempt.ReplyTo.Tell(new ProcessingFailed(attempt.Envelope.Delivery, reason));
            Done();
            return;
        }

        Log.Error(error, "Device {Device} parked message {MessageId} on {Topic} after {Attempts} attempts",
            _device, message.MessageId, message.Topic, attempt.Number);
        PersistThen(attempt, new MessageParked(message.MessageId, message.ReceivedAt), () =>
        {
            // Lifecycle bodies carry the device secret; a parked message must not spread it.
            var body = message.Kind == MessageKind.Lifecycle ? ReadOnlyMemory<byte>.Empty : message.Body;
            Context.System.EventStream.Publish(new ParkedMessage(_device, message.MessageId, message.Topic, reason, body));
            IotActorsMetrics.Parked.Add(1, Tags(attempt.Envelope));
            attempt.ReplyTo.Tell(new Processed(attempt.Envelope.Delivery, ProcessOutcome.Parked));
            Done();
        });
    }

    /// <summary>
    /// Writes <paramref name="e"/>; once it is in the journal, applies it to the state and runs
    /// <paramref name="then"/> (the reply). Commands arriving meanwhile wait, so order holds. For the rare events (a parked
    /// message); an applied one, every message's, takes the same steps without a closure (<see cref="TryApply"/>).
    /// </summary>
    private void PersistThen(Attempt attempt, IDeviceEvent e, Action then)
    {
        if (KeepsStateInActor)
        {
            Update(e);
            _unsaved = true;
            then();
            return;
        }
        _persisting = attempt;
        Persist(e, persisted =>
        {
            _persisting = null;
            Update(persisted);
            then();
            SnapshotIfDue();
        });
    }

    /// <summary>After a persisted event's handler: a snapshot when this device's schedule says one is due.</summary>
    private void SnapshotIfDue()
    {
        // Persist (unlike the duplicates' PersistAsync) holds every other command until its handler, so no write is in
        // flight and the snapshot matches LastSequenceNr exactly.
        // The schedule is computed here rather than kept: a field more in every resident device for a hash per event.
        if (!SnapshotSchedule.For(PersistenceId, _options.SnapshotEvery, _options.SpreadSnapshots).IsDue(_snapshotAt, LastSequenceNr)) return;
        _snapshotAt = LastSequenceNr;
        SaveSnapshot(Snapshot());
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The actor stops (Akka's rule after a failed write); release the delivery now rather than at the connection's deadline.
        if (_persisting is { } attempt)
            attempt.ReplyTo.Tell(new ProcessingFailed(attempt.Envelope.Delivery, $"journal write failed: {cause.GetType().FullName}: {cause.Message}"));
        _persisting = null;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        var attempt = _persisting;
        _persisting = null;
        if (attempt is null) return;
        if (@event is MessageApplied)
        {
            // Retrying cannot help: the same state would be rejected again.
            GiveUp(attempt, cause, $"the journal rejected the new state: {cause.GetType().FullName}: {cause.Message}");
            return;
        }
        attempt.ReplyTo.Tell(new ProcessingFailed(attempt.Envelope.Delivery, $"the journal rejected {@event.GetType().Name}: {cause.Message}"));
        Done();
    }

    /// <summary>The current message is settled: leave the retry state and let stashed messages through, in order.</summary>
    private void Done()
    {
        if (_retrying is null) return;
        _retrying = null;
        _retryTimer = null;
        Context.Become(ReceiveCommand);
        Stash.UnstashAll();
    }

    /// <summary>
    /// <see cref="DeviceStateWrites.OnStop"/> once the device has its journal event: later messages change the state in
    /// the actor only (a write per message would buy nothing in memory), until <see cref="SaveOnStop"/>.
    /// </summary>
    private bool KeepsStateInActor => _options.StateWrites == DeviceStateWrites.OnStop && LastSequenceNr > 0;

    /// <summary>
    /// Writes the state as the snapshot at the current sequence number (replacing the one there). Sent from the stopping
    /// (or restarting) actor straight to the local snapshot store, so it is queued there before the next incarnation,
    /// which starts only after this one has stopped, asks for its snapshot; the reply goes nowhere.
    /// </summary>
    private void SaveOnStop()
    {
        _unsaved = false;
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(PersistenceId, LastSequenceNr, DateTime.UtcNow), Snapshot()), ActorRefs.Nobody);
    }

    // The window is copied: the device goes on changing its own while the snapshot store serializes this one.
    private DeviceSnapshot Snapshot() =>
        new(_state.User, _state.Dedupe.Copy(), _state.MessagesApplied, _state.DuplicatesDropped, _state.Parked, _state.LastSeen);

    private DeviceStateReply Reply() => new(_device, _state.User, _state.MessagesApplied, _state.DuplicatesDropped, _state.Parked, _state.LastSeen);

    private System.Diagnostics.TagList Tags(DeviceEnvelope envelope) => IotActorsMetrics.Tags(envelope.Delivery.ClientId, _device.ProductKey);

    /// <summary>One try of one message; <see cref="Number"/> is 1 for the first (0 for a duplicate, which is never applied).</summary>
    private sealed record Attempt(DeviceEnvelope Envelope, IActorRef ReplyTo, int Number)
    {
        /// <summary>What the behavior emitted in this try, published once its state is kept.</summary>
        public IReadOnlyList<object> Outputs { get; set; } = [];
    }

    private sealed class RetryTick
    {
        public static readonly RetryTick Instance = new();
    }
}

/// <summary>The message that stops a device actor after the commands before it: passivation, rebalance, node leave.</summary>
internal sealed class StopDevice
{
    public static readonly StopDevice Instance = new();

    private StopDevice()
    {
    }
}
