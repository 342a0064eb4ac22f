using Akka.Actor;
using Microsoft.Extensions.Hosting;
using AkkaCluster = Akka.Cluster.Cluster;

namespace IotActors.TestKit.Cluster;

/// <summary>One node of an <see cref="IotTestCluster"/>: a real host with its actor system, remoting on loopback.</summary>
public sealed class IotTestNode
{
    internal IotTestNode(int index, int incarnation, IHost host, ActorSystem system, IActorRef devices, IActorRef consumer)
    {
        Index = index;
        Incarnation = incarnation;
        Host = host;
        System = system;
        Devices = devices;
        Consumer = consumer;
        Address = AkkaCluster.Get(system).SelfAddress;
    }

    /// <summary>Position in <see cref="IotTestCluster.Nodes"/>; kept across restarts.</summary>
    public int Index { get; }

    /// <summary>1 for the first start, then one more per restart.</summary>
    public int Incarnation { get; }

    public IHost Host { get; }

    public ActorSystem System { get; }

    /// <summary>This node's device region (send it <c>GetDeviceState</c> or device envelopes).</summary>
    public IActorRef Devices { get; }

    /// <summary>This node's consumer supervisor (answers <c>GetClusterConnectionStatuses</c>).</summary>
    public IActorRef Consumer { get; }

    /// <summary>The node's cluster address.</summary>
    public Address Address { get; }

    /// <summary>False once the node was crashed or stopped.</summary>
    public bool IsRunning { get; internal set; } = true;

    public override string ToString() => $"node {Index}#{Incarnation} ({Address})";
}
