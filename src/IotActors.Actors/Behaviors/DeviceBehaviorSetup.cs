using Akka.Actor.Setup;

namespace IotActors.Actors.Behaviors;

/// <summary>
/// Carries the registered device behavior into the actor system (<c>ActorSystemSetup</c>), so the device
/// region finds it at start-up whatever order the hosting extensions were called in.
/// </summary>
public sealed class DeviceBehaviorSetup(DeviceBehaviorRegistration registration) : Setup
{
    public DeviceBehaviorRegistration Registration { get; } = registration ?? throw new ArgumentNullException(nameof(registration));
}
