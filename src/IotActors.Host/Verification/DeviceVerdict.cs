using IotActors.Platform.Messages;

namespace IotActors.Host.Verification;

/// <summary>How one device's twin compares with what the simulator sent it.</summary>
/// <param name="Device">The device.</param>
/// <param name="DistinctMessages">Distinct messages the device sent (the ground truth).</param>
/// <param name="MessagesApplied">Messages the twin says it applied; null when no node answered for the device.</param>
/// <param name="Differences">Every difference found, one readable line each; empty when the twin matches.</param>
public sealed record DeviceVerdict(DeviceId Device, int DistinctMessages, long? MessagesApplied, IReadOnlyList<string> Differences)
{
    public bool Matches => Differences.Count == 0;

    /// <summary>Messages the device sent that its twin never applied (a promise broken: nothing may be lost).</summary>
    public long Lost => MessagesApplied is { } applied && applied < DistinctMessages ? DistinctMessages - applied : 0;

    /// <summary>Applications beyond the distinct messages: a redelivery applied again (a promise broken: exactly-once effect).</summary>
    public long AppliedTwice => MessagesApplied is { } applied && applied > DistinctMessages ? applied - DistinctMessages : 0;

    /// <summary>Counters only grow, so a twin that applied too much can never come to match: waiting longer is pointless.</summary>
    public bool IsFinal => AppliedTwice > 0;
}
