namespace TemperatureAlarm;

/// <summary>An online/offline notice reduced to what the clock needs: its <c>utcTime</c> (epoch ms) and which one it was.</summary>
/// <remarks>
/// Ordered by <see cref="Time"/>; on the same millisecond an online comes before an offline (a session of zero length),
/// so the order never depends on arrival.
/// </remarks>
public sealed record StatusNotice(long Time, bool Online) : IComparable<StatusNotice>
{
    public int CompareTo(StatusNotice? other) =>
        other is null ? 1
        : Time != other.Time ? Time.CompareTo(other.Time)
        : other.Online.CompareTo(Online);
}
