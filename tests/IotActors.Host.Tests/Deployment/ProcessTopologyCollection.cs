namespace IotActors.Host.Tests.Deployment;

/// <summary>
/// Tests that run a whole local topology (an emulator and three nodes as processes) run alone, after every parallel
/// test: on a small machine two topologies at once starve each other's failure detectors and deadlines.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTopologyCollection
{
    public const string Name = "process topology";
}
