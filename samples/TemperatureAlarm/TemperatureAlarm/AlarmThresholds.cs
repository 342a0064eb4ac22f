namespace TemperatureAlarm;

/// <summary>When the alarm is raised and cleared, and how many readings a device keeps.</summary>
/// <param name="High">Above this the alarm is raised (°C). <b>Default:</b> 30.0.</param>
/// <param name="Low">Below this it is cleared; between <paramref name="Low"/> and <paramref name="High"/> it stays as it was (hysteresis). <b>Default:</b> 25.0.</param>
/// <param name="Window">Readings kept per device, the newest by time; <see cref="TemperatureWindow.RecentRaises"/> counts raises among them. <b>Default:</b> 16. Range 1–1,000.</param>
public sealed record AlarmThresholds(double High, double Low, int Window)
{
    public static AlarmThresholds Default { get; } = new(30.0, 25.0, 16);

    /// <summary>A reading above <see cref="High"/> raises the alarm.</summary>
    public bool Raises(double celsius) => celsius > High;

    /// <summary>A reading below <see cref="Low"/> clears it.</summary>
    public bool Clears(double celsius) => celsius < Low;

    /// <summary>Outside the band: this reading alone decides the alarm; inside it the alarm keeps its previous value.</summary>
    public bool Decides(double celsius) => Raises(celsius) || Clears(celsius);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(High) || !double.IsFinite(Low) || Low >= High)
            throw new ArgumentOutOfRangeException(nameof(Low), Low, $"AlarmThresholds.Low must be a number below High ({High}).");
        if (Window is < 1 or > 1_000)
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "AlarmThresholds.Window must be between 1 and 1000.");
    }
}
