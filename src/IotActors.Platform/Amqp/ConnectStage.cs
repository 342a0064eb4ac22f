namespace IotActors.Platform.Amqp;

/// <summary>How far a connection attempt got before it failed; tells the user where to look.</summary>
public enum ConnectStage
{
    /// <summary>Resolving the host name.</summary>
    Dns,
    /// <summary>Opening the TCP socket.</summary>
    Tcp,
    /// <summary>TLS handshake, including certificate validation.</summary>
    Tls,
    /// <summary>SASL PLAIN: user name and signature.</summary>
    Authentication,
    /// <summary>AMQP open/begin: the peer accepted the login but refused the connection (e.g. idle timeout, limits).</summary>
    Open,
    /// <summary>Attaching the receiver link.</summary>
    Attach,
}
