using System.Collections.Immutable;
using System.Text;

namespace IotActors.TestKit.Chaos;

/// <summary>What a <see cref="ChaosSchedule"/> did: its seed, each injected fault in order, and counts by kind.</summary>
public sealed record ChaosReport(int Seed, ImmutableList<ChaosEvent> Events, TimeSpan Duration)
{
    /// <summary>Faults injected, by kind.</summary>
    public ImmutableSortedDictionary<string, int> ByKind { get; } =
        Events.GroupBy(e => e.Kind).ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"chaos seed {Seed}: {Events.Count} fault(s) in {Duration.TotalSeconds:0.0} s (replay: {ChaosSeed.EnvironmentVariable}={Seed})");
        foreach (var (kind, count) in ByKind) text.AppendLine($"  {kind,-24} {count,4}");
        return text.ToString();
    }
}

/// <summary>One injected fault.</summary>
/// <param name="At">Time since the schedule started.</param>
/// <param name="Kind">The fault's kind.</param>
/// <param name="Detail">What the injection reported (e.g. which node or condition).</param>
public sealed record ChaosEvent(TimeSpan At, string Kind, string Detail);
