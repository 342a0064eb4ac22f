using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using IotActors.Actors.Devices;
using IotActors.Actors.Diagnostics;
using IotActors.Platform.Amqp;
using IotActors.Platform.Errors;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Connections;

/// <summary>
/// Owns one receiver connection (one client ID) for one attempt. Each delivery is decoded, kept
/// pending, and routed to its device; it is accepted on the link only when the device answers
/// <see cref="Processed"/>. Link credit caps what is pending. A delivery that misses the processing
/// deadline is released for the platform to redeliver.
/// </summary>
/// <remarks>
/// One incarnation = one connection attempt. When the connection ends the actor reports to its
/// <see cref="ConnectionSupervisor"/> and stops; pending deliveries are simply forgotten (the
/// platform redelivers what was not accepted) and device actors are untouched.
/// </remarks>
public sealed class ConnectionActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly string _consumerGroupId;
    private readonly string _clientId;
    private readonly Func<ReceiverEndpoint> _endpointFactory;
    private readonly IActorRef _devices;
    private readonly ConsumerOptions _options;
    private readonly long _generation;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, Pending> _pending = new();
    private readonly KeyValuePair<string, object?> _clientTag;
    private AmqpReceiver? _receiver;
    private bool _stopping;
    private IActorRef? _stopRequester;

    private readonly record struct Pending(ReceivedDelivery Delivery, long StartedTicks, DateTimeOffset Deadline);

    public ConnectionActor(string consumerGroupId, string clientId, long generation, Func<ReceiverEndpoint> endpointFactory, IActorRef devices, ConsumerOptions options)
    {
        _consumerGroupId = consumerGroupId;
        _clientId = clientId;
        _generation = generation;
        _endpointFactory = endpointFactory;
        _devices = devices;
        _options = options;
        _clientTag = new("client_id", clientId);
        Connecting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(string consumerGroupId, string clientId, long generation, Func<ReceiverEndpoint> endpointFactory, IActorRef devices, ConsumerOptions options) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(consumerGroupId, clientId, generation, endpointFactory, devices, options));

    protected override void PreStart()
    {
        var self = Self;
        var generation = _generation;
        ReceiverEndpoint endpoint;
        try
        {
            // A fresh endpoint per attempt: the signature carries a new timestamp.
            endpoint = _endpointFactory();
        }
        catch (Exception e)
        {
            self.Tell(new ConnectFailed(generation, e));
            return;
        }

        AmqpReceiver.ConnectAsync(endpoint, d => self.Tell(new DeliveryArrived(generation, d)))
            .ContinueWith(t => t.IsCompletedSuccessfully
                    ? (object)new Connected(generation, t.Result)
                    : new ConnectFailed(generation, t.Exception?.GetBaseException() ?? new TaskCanceledException()),
                TaskContinuationOptions.ExecuteSynchronously)
            .PipeTo(self);
    }

    protected override void PostStop()
    {
        // Stopped without a graceful close (e.g. the supervisor was killed): drop the connection now.
        _receiver?.Abort();
        IotActorsMetrics.InFlight.Add(-_pending.Count, _clientTag);
        _pending.Clear();
    }

    private void Connecting()
    {
        Receive<Connected>(m =>
        {
            _receiver = m.Receiver;
            var self = Self;
            m.Receiver.Completion.PipeTo(self, success: closed => new ConnectionLost(m.Generation, closed));
            Timers.StartPeriodicTimer("sweep", SweepDeadlines.Instance, SweepInterval());
            Context.Parent.Tell(new ConnectionAttached(_clientId));
            _log.Info("Connection {0} of group {1} attached", _clientId, _consumerGroupId);
            Become(Attached);
            Stash.UnstashAll();
            if (_stopping) BeginStop();
        });
        Receive<ConnectFailed>(m => End(Classify(m.Error), wasAttached: false, m.Error.Message));
        Receive<StopConsuming>(_ =>
        {
            // Not attached yet: nothing in flight, stop as soon as the attempt resolves.
            _stopping = true;
            _stopRequester = Sender;
        });
        // Credit is granted inside ConnectAsync, so deliveries can overtake the Connected message.
        Receive<DeliveryArrived>(_ => Stash.Stash());
    }

    private void Attached()
    {
        Receive<DeliveryArrived>(m => OnDelivery(m.Delivery));
        Receive<Processed>(m => Settle(m.Delivery, accept: true, m.Outcome.ToString()));
        Receive<ProcessingFailed>(m => Settle(m.Delivery, accept: false, m.Reason));
        Receive<SweepDeadlines>(_ => ReleaseOverdue());
        Receive<SweepDrainTimeout>(_ => CloseAfterStop());
        Receive<DrainQuiet>(m =>
        {
            // A delivery since the timer started: its settlement starts the quiet period again.
            if (_stopping && Drained && m.Delivered == _delivered) CloseAfterStop();
        });
        Receive<ConnectionLost>(m =>
        {
            // Our own close after a stop: ReceiverClosedAfterStop reports it (this can arrive first; it is no loss).
            if (_closing) return;
            var classification = CloseConditionClassifier.Classify(m.Reason.Condition, m.Reason.Description);
            End(classification, wasAttached: true, m.Reason.ToString());
        });
        Receive<StopConsuming>(_ =>
        {
            _stopping = true;
            _stopRequester = Sender;
            BeginStop();
        });
        Receive<ReceiverClosedAfterStop>(m =>
        {
            _stopRequester?.Tell(new ConsumingStopped(_clientId, m.LeftUnsettled));
            Context.Stop(Self);
        });
    }

    private void OnDelivery(ReceivedDelivery delivery)
    {
        IotActorsMetrics.Received.Add(1, _clientTag);
        _delivered++;
        var message = delivery.Message;
        if (message is null)
        {
            Unroutable(delivery, null, null, delivery.DecodeFailure ?? "undecodable delivery");
            return;
        }
        if (message.Body.Length > _options.MaxBodyBytes)
        {
            Unroutable(delivery, message.MessageId, message.Topic, $"body of {message.Body.Length} bytes exceeds Consumer:MaxBodyBytes ({_options.MaxBodyBytes})");
            return;
        }

        var topic = TopicParser.Parse(message.Topic);
        if (!topic.IsSuccess)
        {
            Unroutable(delivery, message.MessageId, message.Topic, "unparsable topic: " + topic.Reason);
            return;
        }
        if (topic.Topic.Device is not { } device)
        {
            Unroutable(delivery, message.MessageId, message.Topic, $"topic of kind {topic.Topic.Kind} names no device");
            return;
        }

        var now = DateTimeOffset.UtcNow;
        // Timed from the receive callback, so the hop through this actor's mailbox counts as well.
        _pending[delivery.Sequence] = new Pending(delivery, delivery.ReceivedTimestamp, now + _options.ProcessingDeadline);
        IotActorsMetrics.InFlight.Add(1, _clientTag);
        var deviceMessage = new DeviceMessage(message.MessageId, message.Topic, topic.Topic.Kind, topic.Topic.Identifier,
            message.GenerateTime, delivery.ReceivedAt.ToUnixTimeMilliseconds(), message.Body);
        _devices.Tell(new DeviceEnvelope(device, deviceMessage, new DeliveryRef(_clientId, _generation, delivery.Sequence)), Self);
    }

    private void Unroutable(ReceivedDelivery delivery, string? messageId, string? topic, string reason)
    {
        // Accepted on purpose: an unroutable delivery would otherwise block credit and come back forever.
        IotActorsMetrics.DecodeFailures.Add(1, _clientTag);
        IotActorsMetrics.Parked.Add(1, _clientTag);
        _log.Warning("Parked unroutable delivery on {0}: messageId={1} topic={2} reason={3}", _clientId, messageId, topic, reason);
        Context.System.EventStream.Publish(new UnroutableDelivery(_clientId, messageId, topic, reason));
        if (_receiver?.Accept(delivery) == true) { _accepted++; IotActorsMetrics.Accepted.Add(1, _clientTag); }
        if (_stopping && Drained) CloseWhenQuiet();
    }

    private void Settle(DeliveryRef reference, bool accept, string why)
    {
        // A reply from an older connection refers to a delivery the platform will redeliver: ignore it.
        if (reference.Generation != _generation || !_pending.Remove(reference.Sequence, out var pending)) return;
        IotActorsMetrics.InFlight.Add(-1, _clientTag);
        if (accept)
        {
            if (_receiver!.Accept(pending.Delivery))
            {
                _accepted++;
                IotActorsMetrics.Accepted.Add(1, _clientTag);
                IotActorsMetrics.ReceiveToAck.Record(Stopwatch.GetElapsedTime(pending.StartedTicks).TotalMilliseconds, _clientTag);
            }
        }
        else
        {
            _log.Warning("Releasing delivery {0} on {1}: {2}", pending.Delivery.Message?.MessageId, _clientId, why);
            if (_receiver!.Release(pending.Delivery)) { _released++; IotActorsMetrics.Released.Add(1, _clientTag); }
        }
        if (_stopping && Drained) CloseWhenQuiet();
    }

    private void ReleaseOverdue()
    {
        Context.Parent.Tell(new ConnectionProgress(_delivered, _accepted, _released, _pending.Count));
        if (_pending.Count == 0) return;
        var now = DateTimeOffset.UtcNow;
        List<long>? overdue = null;
        foreach (var (sequence, pending) in _pending)
        {
            if (pending.Deadline <= now) (overdue ??= []).Add(sequence);
        }
        if (overdue is null) return;
        foreach (var sequence in overdue)
        {
            var pending = _pending[sequence];
            _pending.Remove(sequence);
            IotActorsMetrics.InFlight.Add(-1, _clientTag);
            _log.Warning("Delivery {0} on {1} missed the processing deadline of {2}; released for redelivery",
                pending.Delivery.Message?.MessageId, _clientId, _options.ProcessingDeadline);
            if (_receiver!.Release(pending.Delivery)) { _released++; IotActorsMetrics.Released.Add(1, _clientTag); }
        }
        if (_stopping && Drained) CloseWhenQuiet();
    }

    /// <summary>
    /// Nothing left to settle: none of our pending deliveries, and none the receiver handed over that this actor has
    /// not seen yet (they wait in the mailbox as <see cref="DeliveryArrived"/> while stopping begins; the transport's
    /// count includes them). Closing on our own count alone would close the link on them, unsettled, and the platform
    /// would redeliver them.
    /// </summary>
    private bool Drained => _pending.Count == 0 && _receiver!.InFlight == 0;

    private void BeginStop()
    {
        _receiver!.StopCredit();
        Timers.StartSingleTimer("drain", SweepDrainTimeout.Instance, _options.DrainTimeout);
        if (Drained) CloseWhenQuiet();
    }

    /// <summary>
    /// Nothing is unsettled: close once no delivery has arrived for <see cref="ConsumerOptions.DrainQuietPeriod"/>.
    /// Lowering our credit tells the platform nothing (AMQPNetLite sends no flow for it), so it may still send on the
    /// credit it holds — at once when it has a backlog. What arrives is processed and accepted, and the quiet period
    /// starts again when it is settled; the drain timeout bounds the whole.
    /// </summary>
    private void CloseWhenQuiet()
    {
        if (_options.DrainQuietPeriod <= TimeSpan.Zero) CloseAfterStop();
        else Timers.StartSingleTimer("drain-quiet", new DrainQuiet(_delivered), _options.DrainQuietPeriod);
    }

    private bool _closing;
    private long _delivered, _accepted, _released;

    private void CloseAfterStop()
    {
        if (_closing) return;
        _closing = true;
        var left = Math.Max(_pending.Count, _receiver!.InFlight);
        var receiver = _receiver!;
        receiver.CloseAsync(TimeSpan.Zero).ContinueWith(_ => new ReceiverClosedAfterStop(left), TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    private void End(CloseClassification classification, bool wasAttached, string detail)
    {
        if (_stopping && _stopRequester is not null)
        {
            _stopRequester.Tell(new ConsumingStopped(_clientId, _pending.Count));
        }
        _log.Warning("Connection {0} of group {1} ended ({2}): {3}", _clientId, _consumerGroupId, classification.Class, detail);
        Context.Parent.Tell(new ConnectionEnded(_clientId, classification with { Reason = Trim(detail) }, wasAttached));
        Context.Stop(Self);
    }

    private static CloseClassification Classify(Exception error) => error switch
    {
        ReceiverConnectException rce => ClassifyConnect(rce),
        _ => CloseConditionClassifier.ClassifyException(error),
    };

    private static CloseClassification ClassifyConnect(ReceiverConnectException e)
    {
        if (e.Stage == ConnectStage.Authentication)
            return CloseConditionClassifier.Classify(e.Condition ?? AmqpConditions.UnauthorizedAccess, e.Reason, saslFailure: true);
        if (e.Condition is not null) return CloseConditionClassifier.Classify(e.Condition, e.Reason);
        return CloseConditionClassifier.ClassifyException(e.InnerException ?? e);
    }

    private static string Trim(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private TimeSpan SweepInterval()
    {
        var quarter = _options.ProcessingDeadline / 4;
        return quarter < TimeSpan.FromSeconds(1) ? (quarter < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : quarter) : TimeSpan.FromSeconds(1);
    }

    private sealed record DrainQuiet(long Delivered) : INoSerializationVerificationNeeded;

    private sealed record SweepDrainTimeout : INoSerializationVerificationNeeded
    {
        public static readonly SweepDrainTimeout Instance = new();
    }
}
