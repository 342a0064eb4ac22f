namespace IotActors.Host.Running;

/// <summary>What the live console view shows at one tick; <c>Rate</c> is messages accepted per second since the previous tick.</summary>
public sealed record LiveSnapshot(
    DateTimeOffset Time,
    double Rate,
    long Accepted,
    long InFlight,
    long Devices,
    int ConnectionsUp,
    int ConnectionsTotal,
    long Reconnects,
    long Duplicates,
    long Parked);
