namespace IotActors.Emulator;

/// <summary>One transfer as the emulated platform made it (recorded when <see cref="EmulatorOptions.RecordDeliveries"/> is on).</summary>
/// <param name="Sequence">Order of the transfer within its consumer group, from 1.</param>
/// <param name="MessageId">The message's messageId.</param>
/// <param name="Topic">The message's topic.</param>
/// <param name="ClientId">The clientId of the connection it went to.</param>
/// <param name="ConnectionId">The emulator's number of that connection.</param>
/// <param name="Transfer">1 for the first push of this copy, 2 and more for redeliveries.</param>
public sealed record DeliveryRecord(long Sequence, string MessageId, string Topic, string ClientId, long ConnectionId, int Transfer);
