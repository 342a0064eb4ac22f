using Akka.Actor;
using Akka.Event;
using IotActors.Platform.Amqp;

namespace IotActors.Actors.Connections;

/// <summary>
/// One client ID's connection as a sharded daemon process instance: Akka.Cluster.Sharding keeps exactly one live
/// instance per client ID in the cluster and starts it again on another node when its node leaves or dies. It runs the
/// client ID's <see cref="ConnectionSupervisor"/> (backoff, slow lane) as its child and reports to its node's
/// <see cref="ConsumerSupervisor"/>, which answers status queries and drains the node's connections on shutdown.
/// </summary>
/// <remarks>
/// On <see cref="StopConnectionDaemon"/> (its shard moves) the connection drains before the daemon stops, so a rebalance
/// does not leave deliveries to be redelivered after the ack timeout. The connect-attempt budget is the node's: with
/// <c>N</c> nodes the group may try <c>N × ConnectAttemptsPerMinute</c> connects a minute.
/// </remarks>
public sealed class ConnectionDaemon : ReceiveActor
{
    private readonly string _clientId;
    private readonly IActorRef _consumer;
    private readonly Func<Props> _supervisorProps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _stopRequesters = [];
    private IActorRef _supervisor = ActorRefs.Nobody;
    private ConsumingStopped? _stopped;
    private bool _stopRequested;
    private bool _handingOff;

    public ConnectionDaemon(string consumerGroupId, string clientId, Func<ReceiverEndpoint> endpointFactory, IActorRef devices,
        ConsumerOptions options, ConnectAttemptBudget budget, IActorRef consumer)
    {
        _clientId = clientId;
        _consumer = consumer;
        _supervisorProps = () => ConnectionSupervisor.Props(consumerGroupId, clientId, endpointFactory, devices, options, budget);

        Receive<ConnectionStatus>(s => _consumer.Tell(s));
        Receive<GetConnectionStatuses>(_ => _supervisor.Forward(GetConnectionStatuses.Instance));
        Receive<StopConsuming>(_ =>
        {
            if (_stopped is not null) { Sender.Tell(_stopped); return; }
            _stopRequesters.Add(Sender);
            RequestStop();
        });
        Receive<StopConnectionDaemon>(_ =>
        {
            _log.Info("Connection {0} is moving to another node; draining it here first", _clientId);
            _handingOff = true;
            if (_stopped is not null) Context.Stop(Self);
            else RequestStop();
        });
        Receive<ConsumingStopped>(m =>
        {
            _stopped = m;
            foreach (var requester in _stopRequesters) requester.Tell(m);
            _stopRequesters.Clear();
            if (_handingOff) Context.Stop(Self);
        });
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_supervisor)) return;
            _log.Warning("Connection supervisor of {0} stopped unexpectedly; the daemon stops and sharding starts it again", _clientId);
            Context.Stop(Self);
        });
    }

    public static Props Props(string consumerGroupId, string clientId, Func<ReceiverEndpoint> endpointFactory, IActorRef devices,
        ConsumerOptions options, ConnectAttemptBudget budget, IActorRef consumer) =>
        Akka.Actor.Props.Create(() => new ConnectionDaemon(consumerGroupId, clientId, endpointFactory, devices, options, budget, consumer));

    protected override void PreStart()
    {
        _supervisor = Context.ActorOf(_supervisorProps(), "client-" + Uri.EscapeDataString(_clientId));
        Context.Watch(_supervisor);
        _consumer.Tell(new ConnectionHosted(_clientId));
    }

    private void RequestStop()
    {
        if (_stopRequested) return;
        _stopRequested = true;
        _supervisor.Tell(StopConsuming.Instance);
    }
}
