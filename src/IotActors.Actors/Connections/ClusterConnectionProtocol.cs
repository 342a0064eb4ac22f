namespace IotActors.Actors.Connections;

/// <summary>
/// Asks a node's consumer supervisor for the connections of every node in the cluster; answered with
/// <see cref="ClusterConnectionStatuses"/>. (<see cref="GetConnectionStatuses"/> answers for this node's connections only.)
/// </summary>
public sealed record GetClusterConnectionStatuses : IConnectionMessage
{
    public static readonly GetClusterConnectionStatuses Instance = new();
}

/// <summary>The connections one node runs right now.</summary>
/// <param name="Node">The node's address, <c>akka.tcp://iot-actors@host:port</c>.</param>
/// <param name="Connections">Its connections, by client ID.</param>
public sealed record NodeConnectionStatuses(string Node, IReadOnlyList<ConnectionStatus> Connections) : IConnectionMessage;

/// <summary>Answer to <see cref="GetClusterConnectionStatuses"/>.</summary>
/// <param name="Nodes">Every node that answered in time, by address.</param>
/// <param name="Unassigned">
/// Configured client IDs no answering node runs: moving to another node after a node left or died, or on a node that did
/// not answer (listed in <paramref name="Unreachable"/>).
/// </param>
/// <param name="Unreachable">Members that did not answer within the timeout.</param>
public sealed record ClusterConnectionStatuses(
    IReadOnlyList<NodeConnectionStatuses> Nodes,
    IReadOnlyList<string> Unassigned,
    IReadOnlyList<string> Unreachable) : IConnectionMessage;

/// <summary>
/// Hand-off stop message of a <see cref="ConnectionDaemon"/>: when its shard moves (rebalance, node leaving) the connection
/// drains — credit stops, in-flight deliveries finish and are accepted — and then the daemon stops, to start again on its new node.
/// </summary>
public sealed record StopConnectionDaemon : IConnectionMessage
{
    public static readonly StopConnectionDaemon Instance = new();
}

/// <summary>Sent by a <see cref="ConnectionDaemon"/> to its node's consumer supervisor when it starts: "this node now runs <paramref name="ClientId"/>".</summary>
internal sealed record ConnectionHosted(string ClientId) : Akka.Actor.INoSerializationVerificationNeeded;
