using System.Globalization;

namespace IotActors.TestKit.Chaos;

/// <summary>Where a chaos run's seed comes from: an explicit value, else <c>IOTACTORS_CHAOS_SEED</c>, else a fresh random one.</summary>
public static class ChaosSeed
{
    /// <summary>Environment variable that replays a run: set it to the seed a failed run printed.</summary>
    public const string EnvironmentVariable = "IOTACTORS_CHAOS_SEED";

    public static int Resolve(int? explicitSeed = null)
    {
        if (explicitSeed is { } seed) return seed;
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var fromEnvironment)
                ? fromEnvironment
                : throw new FormatException($"{EnvironmentVariable}='{text}' is not an integer seed.");
        }
        return Random.Shared.Next();
    }
}
