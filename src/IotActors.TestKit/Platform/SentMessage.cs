using IotActors.Platform.Messages;

namespace IotActors.TestKit.Platform;

/// <summary>A message the test published to the emulated platform, in publish order.</summary>
/// <param name="Device">The device its topic names.</param>
/// <param name="MessageId">Its messageId.</param>
/// <param name="Order">Position in the publish order, from 1.</param>
public sealed record SentMessage(DeviceId Device, string MessageId, long Order);
