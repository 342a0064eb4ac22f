namespace IotActors.Emulator.Simulation;

/// <summary>
/// Settings of a <see cref="DeviceSimulator"/>. Two simulators with equal options produce the
/// same messages byte for byte: nothing here depends on the wall clock.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>Fixed default start of the simulated clock, so runs reproduce.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2024, 3, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Number of simulated devices, named <c>dev-00001</c> upwards. <b>Default:</b> 100. Range 1–99,999.</summary>
    public int Devices { get; init; } = 100;

    /// <summary>Number of products, keyed <c>a1Sim000</c> upwards; devices are dealt round-robin. <b>Default:</b> 3. Range 1–999.</summary>
    public int Products { get; init; } = 3;

    /// <summary>Seed of every random choice (device picked, values, IDs). <b>Default:</b> 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Messages per second a <see cref="TrafficPump"/> publishes when no rate is passed to it;
    /// null means "as fast as the publisher takes them". Does not affect the simulated clock.
    /// <b>Default:</b> null.
    /// </summary>
    public double? RatePerSecond { get; init; }

    /// <summary>Simulated clock at the first message. <b>Default:</b> <see cref="DefaultStart"/> (2024-03-01T02:00:00Z). Range 2011–2079.</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>Smallest advance of the simulated clock between two messages, ms. <b>Default:</b> 1. At least 1, so message IDs stay unique.</summary>
    public int MinStepMs { get; init; } = 1;

    /// <summary>Largest advance of the simulated clock between two messages, ms. <b>Default:</b> 10.</summary>
    public int MaxStepMs { get; init; } = 10;

    /// <summary>
    /// Share of property items and events whose device-side <c>time</c> lies up to
    /// <see cref="MaxLatenessMs"/> in the past (a device flushing a buffer), so arrival order and
    /// time order differ. <b>Default:</b> 0.05. Range 0–1.
    /// </summary>
    public double LateProbability { get; init; } = 0.05;

    /// <summary>How far in the past a late item's <c>time</c> may lie, ms. <b>Default:</b> 10,000.</summary>
    public int MaxLatenessMs { get; init; } = 10_000;

    /// <summary>What an online device sends. <b>Default:</b> <see cref="TrafficMix.Default"/>.</summary>
    public TrafficMix Mix { get; init; } = TrafficMix.Default;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Devices is < 1 or > 99_999) throw Range(nameof(Devices), Devices, "1–99,999");
        if (Products is < 1 or > 999) throw Range(nameof(Products), Products, "1–999");
        if (RatePerSecond is { } rate && !(rate > 0 && double.IsFinite(rate))) throw Range(nameof(RatePerSecond), rate, "a positive finite number or null");
        if (Start.Year is < 2011 or > 2079) throw Range(nameof(Start), Start, "years 2011–2079 (message IDs are snowflakes)");
        if (MinStepMs is < 1 or > 60_000) throw Range(nameof(MinStepMs), MinStepMs, "1–60,000");
        if (MaxStepMs < MinStepMs || MaxStepMs > 60_000) throw Range(nameof(MaxStepMs), MaxStepMs, $"{MinStepMs}–60,000");
        if (!(LateProbability is >= 0 and <= 1)) throw Range(nameof(LateProbability), LateProbability, "0–1");
        if (MaxLatenessMs is < 1 or > 86_400_000) throw Range(nameof(MaxLatenessMs), MaxLatenessMs, "1–86,400,000");
        ArgumentNullException.ThrowIfNull(Mix, nameof(Mix));
        Mix.Validate();
    }

    internal static ArgumentOutOfRangeException Range(string setting, object value, string allowed) =>
        new(setting, value, $"SimulatorOptions.{setting} must be {allowed}.");
}

/// <summary>
/// Relative weights of what an online device sends next. A device that does not exist yet always
/// starts with a lifecycle <c>create</c>, and an offline device always comes back online first,
/// so these weights apply only to devices that are online.
/// </summary>
/// <param name="PropertyPost">Weight of a property report (spec §5.2). <b>Default:</b> 80.</param>
/// <param name="EventPost">Weight of an event report (spec §5.3). <b>Default:</b> 10.</param>
/// <param name="GoOffline">Weight of the device dropping offline (spec §5.1). <b>Default:</b> 5.</param>
public sealed record TrafficMix(int PropertyPost = 80, int EventPost = 10, int GoOffline = 5)
{
    public static readonly TrafficMix Default = new();

    internal int Total => PropertyPost + EventPost + GoOffline;

    internal void Validate()
    {
        if (PropertyPost < 0) throw SimulatorOptions.Range("Mix.PropertyPost", PropertyPost, "≥ 0");
        if (EventPost < 0) throw SimulatorOptions.Range("Mix.EventPost", EventPost, "≥ 0");
        if (GoOffline < 0) throw SimulatorOptions.Range("Mix.GoOffline", GoOffline, "≥ 0");
        if (Total <= 0) throw SimulatorOptions.Range("Mix", Total, "a total weight > 0");
    }
}
