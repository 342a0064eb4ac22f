using IotActors.Emulator;

namespace IotActors.TestKit.Platform;

/// <summary>How <see cref="EmulatedPlatform"/> starts its emulator and simulator. The defaults suit chaos tests.</summary>
public sealed class EmulatedPlatformOptions
{
    /// <summary>The consumer group the platform pushes to. <b>Default:</b> <c>DEFAULT_GROUP</c>.</summary>
    public string ConsumerGroup { get; set; } = "DEFAULT_GROUP";

    /// <summary>
    /// Multiplies the platform's timers (ack timeout 30 s, stacked retry 60 s, …). <b>Default:</b> 0.1, so an
    /// unacknowledged delivery comes back after 3 s. Pair it with <see cref="Cluster.TestConsumerOptions.For"/>, which keeps the
    /// consumer's processing deadline below the scaled ack timeout.
    /// </summary>
    public double TimeScale { get; set; } = 0.1;

    /// <summary>Simulated devices. <b>Default:</b> 50.</summary>
    public int Devices { get; set; } = 50;

    /// <summary>Products the simulated devices belong to. <b>Default:</b> 2.</summary>
    public int Products { get; set; } = 2;

    /// <summary>Seed of the simulated traffic (same seed, same messages). <b>Default:</b> 42.</summary>
    public int SimulatorSeed { get; set; } = 42;

    /// <summary>Seed of the emulator's own choices (which link gets a message, fault dice). <b>Default:</b> 7.</summary>
    public int EmulatorSeed { get; set; } = 7;

    /// <summary>Further changes to the emulator's options (limits, timers, credentials) before it starts.</summary>
    public Action<EmulatorOptions>? Configure { get; set; }
}
