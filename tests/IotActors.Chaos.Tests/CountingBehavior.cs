using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;

namespace IotActors.Chaos.Tests;

/// <summary>How many messages a device applied, and the newest messageId: the plainest stateful behavior there is.</summary>
public sealed record Counted(long Count, string? Last);

/// <summary>The behavior under chaos; <c>LedgerBehavior</c> wraps it so the invariants can see every applied messageId.</summary>
public sealed class CountingBehavior : DeviceBehavior<Counted>
{
    public override Counted CreateInitialState(DeviceId device) => new(0, null);

    public override Counted Apply(Counted state, DeviceMessage message, IDeviceContext context) => new(state.Count + 1, message.MessageId);
}
