using Akka.Actor;
using Akka.Event;
using IotActors.Platform.Amqp;
using AkkaCluster = Akka.Cluster.Cluster;

namespace IotActors.Actors.Connections;

/// <summary>
/// The connections of one consumer group on this node, with their latest <see cref="ConnectionStatus"/> for health checks.
/// Standalone (<see cref="Props"/>) it holds one <see cref="ConnectionSupervisor"/> per client ID as children, all sharing one
/// connect-attempt budget. On a cluster node (<see cref="PropsForCluster"/>) it starts none itself: each client ID runs as a
/// <see cref="ConnectionDaemon"/> somewhere in the cluster, and the daemons that land on this node report here.
/// <see cref="StopConsuming"/> stops every connection of this node gracefully and is answered with
/// <see cref="ConsumingStopped"/> (client ID "*") when all have closed; a daemon that arrives afterwards is stopped at once.
/// </summary>
/// <remarks>
/// <see cref="GetConnectionStatuses"/> answers for this node's connections; <see cref="GetClusterConnectionStatuses"/> asks the
/// consumer supervisor at the same path on every member that is up and merges the answers (nodes that do not answer within
/// 3 s are listed as unreachable).
/// </remarks>
public sealed class ConsumerSupervisor : ReceiveActor
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    private readonly string _consumerGroupId;
    private readonly IReadOnlyList<string> _clientIds;
    private readonly Dictionary<string, ConnectionStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _connections = [];
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly List<IActorRef> _stopRequesters = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _stopping;

    /// <summary>Use <see cref="Props"/> or <see cref="PropsForCluster"/>; public only because Akka creates actors through public constructors.</summary>
    public ConsumerSupervisor(string consumerGroupId, IReadOnlyList<string> clientIds, Func<string, ReceiverEndpoint>? endpointFactory,
        IActorRef? devices, ConsumerOptions? options)
    {
        _consumerGroupId = consumerGroupId;
        _clientIds = clientIds;
        if (endpointFactory is not null && devices is not null && options is not null)
        {
            var budget = new ConnectAttemptBudget(options.ConnectAttemptsPerMinute);
            foreach (var clientId in clientIds)
            {
                var id = clientId;
                var child = Context.ActorOf(ConnectionSupervisor.Props(consumerGroupId, id, () => endpointFactory(id), devices, options, budget),
                    "client-" + Uri.EscapeDataString(id));
                Add(child, id);
            }
        }

        Receive<ConnectionHosted>(m => Add(Sender, m.ClientId));
        Receive<ConnectionStatus>(s =>
        {
            if (_running.Contains(s.ClientId) || s.State == ConnectionState.Stopped) _statuses[s.ClientId] = s;
        });
        Receive<GetConnectionStatuses>(_ => LocalStatuses().PipeTo(Sender));
        Receive<GetClusterConnectionStatuses>(_ => ClusterStatuses().PipeTo(Sender));
        Receive<StopConsuming>(_ =>
        {
            _stopping = true;
            _stopRequesters.Add(Sender);
            if (_running.Count == 0) { FinishStop(); return; }
            foreach (var connection in _connections.Keys) connection.Tell(StopConsuming.Instance);
        });
        Receive<ConsumingStopped>(m => Stopped(m.ClientId, m.LeftUnsettled));
        Receive<Terminated>(t =>
        {
            // A daemon handed off to another node (or stopped): this node no longer runs its client ID.
            if (!_connections.Remove(t.ActorRef, out var clientId)) return;
            _statuses.Remove(clientId);
            Stopped(clientId, 0);
        });
    }

    /// <summary>Standalone: one connection per client ID, as children of this actor.</summary>
    public static Props Props(string consumerGroupId, IReadOnlyList<string> clientIds, Func<string, ReceiverEndpoint> endpointFactory,
        IActorRef devices, ConsumerOptions options) =>
        Akka.Actor.Props.Create(() => new ConsumerSupervisor(consumerGroupId, clientIds, endpointFactory, devices, options));

    /// <summary>Cluster node: the connections are <see cref="ConnectionDaemon"/>s that report here when they run on this node.</summary>
    public static Props PropsForCluster(string consumerGroupId, IReadOnlyList<string> clientIds) =>
        Akka.Actor.Props.Create(() => new ConsumerSupervisor(consumerGroupId, clientIds, null, null, null));

    private void Add(IActorRef connection, string clientId)
    {
        _connections[connection] = clientId;
        Context.Watch(connection);
        _running.Add(clientId);
        _statuses[clientId] = new ConnectionStatus(_consumerGroupId, clientId, ConnectionState.Connecting, null, null, 0, 0, 0, 0, 0, DateTimeOffset.UtcNow);
        // This node is shutting down: a connection that lands here now must not start consuming.
        if (_stopping) connection.Tell(StopConsuming.Instance);
    }

    private void Stopped(string clientId, int leftUnsettled)
    {
        if (!_running.Remove(clientId)) return;
        if (leftUnsettled > 0) _log.Warning("Connection {0} closed with {1} deliveries unsettled; the platform redelivers them", clientId, leftUnsettled);
        if (_stopping && _running.Count == 0) FinishStop();
    }

    private void FinishStop()
    {
        foreach (var requester in _stopRequesters) requester.Tell(new ConsumingStopped("*", 0));
        _stopRequesters.Clear();
    }

    private Task<ConnectionStatuses> LocalStatuses()
    {
        // Counters live in the connection supervisors; ask them all and merge. The continuation runs off the actor:
        // it gets copies, never the live collections.
        var connections = _connections.Keys.ToList();
        var known = _statuses.Values.OrderBy(s => s.ClientId, StringComparer.Ordinal).ToList();
        return Task.WhenAll(connections.Select(c => c.Ask<ConnectionStatus>(GetConnectionStatuses.Instance, QueryTimeout)))
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? new ConnectionStatuses(t.Result.OrderBy(s => s.ClientId, StringComparer.Ordinal).ToList())
                : new ConnectionStatuses(known),
                TaskContinuationOptions.ExecuteSynchronously);
    }

    private Task<ClusterConnectionStatuses> ClusterStatuses()
    {
        var clientIds = _clientIds.ToList();
        var self = LocalStatuses();
        var selfAddress = AkkaCluster.Get(Context.System).SelfAddress;
        var path = Self.Path.ToStringWithoutAddress();
        var others = AkkaCluster.Get(Context.System).State.Members
            .Where(m => m.Status == Akka.Cluster.MemberStatus.Up && !m.Address.Equals(selfAddress))
            .Select(m => (Node: m.Address.ToString(), Reply: Context.ActorSelection(m.Address + path).Ask<ConnectionStatuses>(GetConnectionStatuses.Instance, QueryTimeout)))
            .ToList();
        var all = others.Prepend((Node: selfAddress.ToString(), Reply: self)).ToList();
        return Task.WhenAll(all.Select(a => a.Reply.ContinueWith(_ => 0, TaskContinuationOptions.ExecuteSynchronously)))
            .ContinueWith(_ =>
            {
                var nodes = all.Where(a => a.Reply.IsCompletedSuccessfully)
                    .Select(a => new NodeConnectionStatuses(a.Node, a.Reply.Result.Connections))
                    .OrderBy(n => n.Node, StringComparer.Ordinal).ToList();
                var running = nodes.SelectMany(n => n.Connections).Where(c => c.State != ConnectionState.Stopped).Select(c => c.ClientId).ToHashSet(StringComparer.Ordinal);
                var unreachable = all.Where(a => !a.Reply.IsCompletedSuccessfully).Select(a => a.Node).OrderBy(n => n, StringComparer.Ordinal).ToList();
                return new ClusterConnectionStatuses(nodes, clientIds.Where(id => !running.Contains(id)).ToList(), unreachable);
            }, TaskContinuationOptions.ExecuteSynchronously);
    }
}
