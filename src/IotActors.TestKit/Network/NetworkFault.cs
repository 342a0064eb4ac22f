namespace IotActors.TestKit.Network;

/// <summary>How a <see cref="TcpFaultProxy"/> treats the bytes of its open connections.</summary>
public enum NetworkFault
{
    /// <summary>Bytes pass unchanged.</summary>
    None,

    /// <summary>Every chunk waits <see cref="TcpFaultProxy.Latency"/> before it is forwarded.</summary>
    Delay,

    /// <summary>Bytes are read and thrown away in both directions; sockets stay open: a connection that dies silently.</summary>
    Blackhole,

    /// <summary>Platform-to-client bytes trickle at <see cref="TcpFaultProxy.SlowBytesPerSecond"/>: a client that reads slowly.</summary>
    SlowReads,

    /// <summary>New connections are accepted and closed at once (existing ones keep working): the endpoint is unreachable.</summary>
    RefuseNew,
}
