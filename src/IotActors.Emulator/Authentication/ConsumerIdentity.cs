using System.Security.Principal;

namespace IotActors.Emulator.Authentication;

/// <summary>
/// Who owns a connection once SASL succeeded; the listener exposes it as
/// <c>ListenerConnection.Principal.Identity</c>. <see cref="IIdentity.Name"/> is the clientId.
/// </summary>
internal sealed class ConsumerIdentity(string clientId, string consumerGroup, string authId) : IIdentity
{
    public string ClientId { get; } = clientId;

    public string ConsumerGroup { get; } = consumerGroup;

    public string AuthId { get; } = authId;

    public string Name => ClientId;

    public string AuthenticationType => "PLAIN";

    public bool IsAuthenticated => true;
}
