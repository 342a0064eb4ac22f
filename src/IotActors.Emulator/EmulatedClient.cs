namespace IotActors.Emulator;

/// <summary>One online client connection of a consumer group, as the emulator sees it.</summary>
/// <param name="ClientId">The clientId from the login userName (not necessarily unique).</param>
/// <param name="ConnectionId">The emulator's own number for the connection, unique while it runs.</param>
/// <param name="ReceiverAttached">Whether the connection has its receiver link attached.</param>
/// <param name="LinkCredit">Link credit as the emulator last tracked it (flows minus transfers).</param>
/// <param name="InFlight">Transfers on this connection waiting for a disposition.</param>
/// <param name="Delivered">Transfers made on this connection so far.</param>
public sealed record EmulatedClient(string ClientId, long ConnectionId, bool ReceiverAttached, int LinkCredit, int InFlight, long Delivered);
