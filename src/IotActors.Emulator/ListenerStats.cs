namespace IotActors.Emulator;

/// <summary>Counters of the listener as a whole, including logins that name no known consumer group.</summary>
/// <param name="SocketsAccepted">TCP connections accepted.</param>
/// <param name="AuthenticationFailures">Failed logins, whatever group they named.</param>
/// <param name="AuthenticationTimeouts">Sockets closed because TLS and SASL did not finish in time.</param>
/// <param name="OpenConnections">Authenticated connections currently open.</param>
public sealed record ListenerStats(long SocketsAccepted, long AuthenticationFailures, long AuthenticationTimeouts, int OpenConnections);
