using Akka.Actor;
using Akka.Event;
using IotActors.Actors.Diagnostics;
using IotActors.Platform.Amqp;
using IotActors.Platform.Errors;

namespace IotActors.Actors.Connections;

/// <summary>
/// The backoff supervisor of one client ID: runs one <see cref="ConnectionActor"/> per attempt and,
/// when it ends, starts the next one after exponential backoff with full jitter — or, after an
/// authentication or configuration failure, after the slow-lane delay, marking the connection
/// unhealthy with the reason. The backoff resets once a link is attached. Every attempt first takes a
/// permit from the consumer group's <see cref="ConnectAttemptBudget"/>.
/// </summary>
/// <remarks>
/// Akka's own BackoffSupervisor is not used because it has neither full jitter nor a per-reason delay;
/// this actor keeps its contract (child stops → restart after a delay, manual reset on success).
/// </remarks>
public sealed class ConnectionSupervisor : ReceiveActor, IWithTimers
{
    private readonly string _consumerGroupId;
    private readonly string _clientId;
    private readonly Func<ReceiverEndpoint> _endpointFactory;
    private readonly IActorRef _devices;
    private readonly ConsumerOptions _options;
    private readonly ConnectAttemptBudget _budget;
    private readonly BackoffPolicy _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _connection;
    private long _generation;
    private int _failures;
    private int _reconnects;
    private bool _stopped;
    private IActorRef? _stopRequester;
    private ConnectionStatus _status;
    private long _delivered, _accepted, _released, _baseDelivered, _baseAccepted, _baseReleased;

    public ConnectionSupervisor(string consumerGroupId, string clientId, Func<ReceiverEndpoint> endpointFactory, IActorRef devices,
        ConsumerOptions options, ConnectAttemptBudget budget)
    {
        _consumerGroupId = consumerGroupId;
        _clientId = clientId;
        _endpointFactory = endpointFactory;
        _devices = devices;
        _options = options;
        _budget = budget;
        _backoff = new BackoffPolicy(options, options.JitterSeed is { } seed ? new Random(HashCode.Combine(seed, clientId)) : new Random());
        _status = new ConnectionStatus(consumerGroupId, clientId, ConnectionState.Connecting, null, null, 0, 0, 0, 0, 0, DateTimeOffset.UtcNow);

        Receive<Reconnect>(_ => TryConnect());
        Receive<ConnectionAttached>(_ =>
        {
            _failures = 0;
            Update(ConnectionState.Attached, _status.LastError, _status.LastErrorClass);
        });
        Receive<ConnectionProgress>(p =>
        {
            _delivered = _baseDelivered + p.Delivered;
            _accepted = _baseAccepted + p.Accepted;
            _released = _baseReleased + p.Released;
            _status = _status with { Delivered = _delivered, Accepted = _accepted, Released = _released, InFlight = p.InFlight };
        });
        Receive<ConnectionEnded>(m => OnEnded(m.Classification, m.WasAttached));
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_connection)) return;
            _connection = null;
            // Stopped without telling us why (it crashed): treat like a transient loss.
            if (!_stopped) OnEnded(new CloseClassification(CloseClass.Transient, "connection actor stopped unexpectedly", null), wasAttached: false);
            else FinishStop(0);
        });
        Receive<StopConsuming>(_ =>
        {
            _stopped = true;
            _stopRequester = Sender;
            Timers.CancelAll();
            if (_connection is null) FinishStop(0);
            else _connection.Tell(StopConsuming.Instance);
        });
        Receive<ConsumingStopped>(m => FinishStop(m.LeftUnsettled));
        Receive<GetConnectionStatuses>(_ => Sender.Tell(_status));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string consumerGroupId, string clientId, Func<ReceiverEndpoint> endpointFactory, IActorRef devices,
        ConsumerOptions options, ConnectAttemptBudget budget) =>
        Akka.Actor.Props.Create(() => new ConnectionSupervisor(consumerGroupId, clientId, endpointFactory, devices, options, budget));

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart() => Self.Tell(Reconnect.Instance);

    private void TryConnect()
    {
        if (_stopped || _connection is not null) return;
        var wait = _budget.TryTake(Context.System.Scheduler.Now);
        if (wait > TimeSpan.Zero)
        {
            _log.Info("Connection {0}: group {1} used its {2} connect attempts this minute; next try in {3}",
                _clientId, _consumerGroupId, _budget.AttemptsPerMinute, wait);
            Timers.StartSingleTimer("reconnect", Reconnect.Instance, wait);
            return;
        }

        _generation++;
        _baseDelivered = _delivered;
        _baseAccepted = _accepted;
        _baseReleased = _released;
        _connection = Context.ActorOf(ConnectionActor.Props(_consumerGroupId, _clientId, _generation, _endpointFactory, _devices, _options),
            $"{Uri.EscapeDataString(_clientId)}-{_generation}");
        Context.Watch(_connection);
        if (_status.State != ConnectionState.Unhealthy) Update(ConnectionState.Connecting, _status.LastError, _status.LastErrorClass);
    }

    private void OnEnded(CloseClassification classification, bool wasAttached)
    {
        if (_connection is not null)
        {
            Context.Unwatch(_connection);
            _connection = null;
        }
        if (_stopped) { FinishStop(0); return; }

        _failures = wasAttached ? 1 : _failures + 1;
        _reconnects++;
        IotActorsMetrics.Reconnects.Add(1, new KeyValuePair<string, object?>("client_id", _clientId),
            new KeyValuePair<string, object?>("reason", classification.Class.ToString()));

        var slowLane = classification.Class is CloseClass.Authentication or CloseClass.FatalConfig;
        var delay = _backoff.Next(_failures, slowLane);
        var reason = classification.Hint is null ? classification.Reason : $"{classification.Reason} ({classification.Hint})";
        if (slowLane)
        {
            _log.Error("Connection {0} of group {1} is unhealthy: {2}. Next attempt in {3:0.#} s", _clientId, _consumerGroupId, reason, delay.TotalSeconds);
            Update(ConnectionState.Unhealthy, reason, classification.Class);
        }
        else
        {
            _log.Warning("Connection {0} of group {1} lost: {2}. Reconnecting in {3:0.###} s (attempt {4})", _clientId, _consumerGroupId, reason, delay.TotalSeconds, _failures);
            Update(ConnectionState.BackingOff, reason, classification.Class);
        }
        Timers.StartSingleTimer("reconnect", Reconnect.Instance, delay);
    }

    private void FinishStop(int leftUnsettled)
    {
        if (_status.State == ConnectionState.Stopped) return;
        Update(ConnectionState.Stopped, _status.LastError, _status.LastErrorClass);
        _stopRequester?.Tell(new ConsumingStopped(_clientId, leftUnsettled));
    }

    private void Update(ConnectionState state, string? error, CloseClass? errorClass)
    {
        _status = _status with
        {
            State = state, LastError = error, LastErrorClass = errorClass, Reconnects = _reconnects, Since = DateTimeOffset.UtcNow,
            InFlight = state == ConnectionState.Attached ? _status.InFlight : 0,
        };
        Context.Parent.Tell(_status);
        Context.System.EventStream.Publish(_status);
    }

    private sealed record Reconnect : INoSerializationVerificationNeeded
    {
        public static readonly Reconnect Instance = new();
    }
}
