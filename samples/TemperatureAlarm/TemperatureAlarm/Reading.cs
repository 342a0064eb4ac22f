namespace TemperatureAlarm;

/// <summary>One <c>Temperature</c> value with the time the device gave it (the item's <c>time</c>, epoch ms).</summary>
/// <remarks>
/// Readings are ordered by <see cref="Time"/>, then by <see cref="Celsius"/>: two readings always compare the same way,
/// whatever order they arrived in, so even a tie on time cannot make the outcome depend on arrival.
/// </remarks>
public sealed record Reading(long Time, double Celsius) : IComparable<Reading>
{
    public int CompareTo(Reading? other) =>
        other is null ? 1
        : Time != other.Time ? Time.CompareTo(other.Time)
        : Celsius.CompareTo(other.Celsius);
}
