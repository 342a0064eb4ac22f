namespace IotActors.Emulator;

/// <summary>
/// A message the emulated platform will push to every consumer group (one copy each):
/// the forwarding topic, the platform message ID (a repeat is a duplicate delivery),
/// the generate time in epoch ms and the body bytes.
/// </summary>
public sealed record EmulatedMessage(string Topic, string MessageId, long GenerateTime, ReadOnlyMemory<byte> Body);
