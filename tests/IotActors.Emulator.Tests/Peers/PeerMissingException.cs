namespace IotActors.Emulator.Tests.Peers;

/// <summary>A real peer (Proton, RabbitMQ) is not installed while <c>IOTACTORS_REQUIRE_PEERS=1</c> demands it.</summary>
public sealed class PeerMissingException(string message) : Exception(message);
