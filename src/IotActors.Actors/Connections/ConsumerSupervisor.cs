using Akka.Actor;
using Akka.Event;
using IotActors.Platform.Amqp;

namespace IotActors.Actors.Connections;

/// <summary>
/// Holds one <see cref="ConnectionSupervisor"/> per client ID of one consumer group, all sharing one
/// connect-attempt budget, and keeps their latest <see cref="ConnectionStatus"/> for health checks.
/// <see cref="StopConsuming"/> stops every connection gracefully and is answered with
/// <see cref="ConsumingStopped"/> (client ID "*") when all have closed.
/// </summary>
public sealed class ConsumerSupervisor : ReceiveActor
{
    private readonly Dictionary<string, ConnectionStatus> _statuses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly List<IActorRef> _stopRequesters = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ConsumerSupervisor(string consumerGroupId, IReadOnlyList<string> clientIds, Func<string, ReceiverEndpoint> endpointFactory,
        IActorRef devices, ConsumerOptions options)
    {
        var budget = new ConnectAttemptBudget(options.ConnectAttemptsPerMinute);
        foreach (var clientId in clientIds)
        {
            var id = clientId;
            Context.ActorOf(ConnectionSupervisor.Props(consumerGroupId, id, () => endpointFactory(id), devices, options, budget),
                "client-" + Uri.EscapeDataString(id));
            _running.Add(id);
            _statuses[id] = new ConnectionStatus(consumerGroupId, id, ConnectionState.Connecting, null, null, 0, 0, 0, 0, 0, DateTimeOffset.UtcNow);
        }

        Receive<ConnectionStatus>(s => _statuses[s.ClientId] = s);
        Receive<GetConnectionStatuses>(_ =>
        {
            // Counters live in the connection supervisors; ask them all and merge.
            var sender = Sender;
            var children = Context.GetChildren().ToList();
            // The continuation runs off the actor: give it a copy, never the live dictionary.
            var known = _statuses.Values.OrderBy(s => s.ClientId, StringComparer.Ordinal).ToList();
            Task.WhenAll(children.Select(c => c.Ask<ConnectionStatus>(GetConnectionStatuses.Instance, TimeSpan.FromSeconds(3))))
                .ContinueWith(t => t.IsCompletedSuccessfully
                    ? new ConnectionStatuses(t.Result.OrderBy(s => s.ClientId, StringComparer.Ordinal).ToList())
                    : new ConnectionStatuses(known),
                    TaskContinuationOptions.ExecuteSynchronously)
                .PipeTo(sender);
        });
        Receive<StopConsuming>(_ =>
        {
            _stopRequesters.Add(Sender);
            if (_running.Count == 0) { Sender.Tell(new ConsumingStopped("*", 0)); return; }
            foreach (var child in Context.GetChildren()) child.Tell(StopConsuming.Instance);
        });
        Receive<ConsumingStopped>(m =>
        {
            _running.Remove(m.ClientId);
            if (m.LeftUnsettled > 0) _log.Warning("Connection {0} closed with {1} deliveries unsettled; the platform redelivers them", m.ClientId, m.LeftUnsettled);
            if (_running.Count > 0) return;
            foreach (var requester in _stopRequesters) requester.Tell(new ConsumingStopped("*", 0));
            _stopRequesters.Clear();
        });
    }

    public static Props Props(string consumerGroupId, IReadOnlyList<string> clientIds, Func<string, ReceiverEndpoint> endpointFactory,
        IActorRef devices, ConsumerOptions options) =>
        Akka.Actor.Props.Create(() => new ConsumerSupervisor(consumerGroupId, clientIds, endpointFactory, devices, options));
}
