using Akka.Actor.Setup;

namespace IotActors.Actors.Cluster;

/// <summary>
/// Carries the validated <see cref="ClusterOptions"/> into the actor system, so the device region and the consumer
/// find them at start-up whatever order the hosting extensions were called in.
/// </summary>
public sealed class IotClusterSetup(ClusterOptions options) : Setup
{
    public ClusterOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));
}
