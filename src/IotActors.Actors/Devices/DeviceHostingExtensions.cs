using Akka.Actor;
using Akka.Hosting;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Serialization;
using IotActors.Actors.Cluster;
using IotActors.Actors.Devices.Mailbox;

namespace IotActors.Actors.Devices;

/// <summary>Akka.Hosting registration of device behaviors and the device region.</summary>
public static class DeviceHostingExtensions
{
    /// <summary>Actor name of the local device region under <c>/user</c>.</summary>
    public const string RegionActorName = "devices";

    /// <summary>
    /// Runs <typeparamref name="TBehavior"/> for every device (one instance per device actor) and starts
    /// the device region. Without this call devices run the built-in twin.
    /// </summary>
    /// <exception cref="InvalidOperationException">A device behavior was already registered on this builder.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option set by <paramref name="configure"/> is out of range.</exception>
    public static AkkaConfigurationBuilder WithDeviceBehavior<TBehavior, TState>(this AkkaConfigurationBuilder builder, Action<DeviceOptions>? configure = null)
        where TBehavior : DeviceBehavior<TState>, new()
        where TState : notnull =>
        builder.RegisterDeviceBehavior(options => DeviceBehaviorRegistration.For<TBehavior, TState>(options), configure);

    /// <summary>As <see cref="WithDeviceBehavior{TBehavior,TState}"/>, for a behavior that needs constructor arguments.</summary>
    public static AkkaConfigurationBuilder WithDeviceBehavior<TState>(this AkkaConfigurationBuilder builder, Func<DeviceBehavior<TState>> createBehavior, Action<DeviceOptions>? configure = null)
        where TState : notnull
    {
        ArgumentNullException.ThrowIfNull(createBehavior);
        return builder.RegisterDeviceBehavior(options => DeviceBehaviorRegistration.For(createBehavior, options), configure);
    }

    private static AkkaConfigurationBuilder RegisterDeviceBehavior(this AkkaConfigurationBuilder builder, Func<DeviceOptions, DeviceBehaviorRegistration> register, Action<DeviceOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Setups.OfType<DeviceBehaviorSetup>().Any())
            throw new InvalidOperationException("A device behavior is already registered; an actor system runs one device behavior.");

        var options = new DeviceOptions();
        configure?.Invoke(options);
        builder.AddSetup(new DeviceBehaviorSetup(register(options)));
        return builder.WithDeviceRegion();
    }

    /// <summary>
    /// Starts the device region once (calling this again is harmless) and registers it as
    /// <see cref="DeviceRegion"/>. It runs the behavior registered with <c>WithDeviceBehavior</c>, or the
    /// built-in twin with default options when there is none. On a cluster node (<c>WithIotCluster</c>) the region is
    /// an Akka.Cluster.Sharding region (<see cref="DeviceSharding"/>); otherwise it is the local <see cref="DeviceRouter"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithDeviceRegion(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Envelopes and replies cross nodes under sharding, and device events are persisted: both need our serializer.
        // Device actors get the compact mailbox (about 1 KB less per resident device).
        return builder.WithIotActorsSerialization()
            .AddHocon(CompactDequeMailbox.Hocon, HoconAddMode.Append)
            .WithActors((system, registry) => StartDeviceRegion(system, registry));
    }

    internal static IActorRef StartDeviceRegion(ActorSystem system, IActorRegistry registry)
    {
        if (registry.TryGet<DeviceRegion>(out var existing)) return existing;

        var registration = system.Settings.Setup.Get<DeviceBehaviorSetup>()
            .Select(s => s.Registration)
            .GetOrElse(DeviceBehaviorRegistration.Twin());
        // Systems configured without WithDeviceRegion's HOCON (tests that start the region directly) keep Akka's mailbox.
        if (system.Settings.Config.HasPath(CompactDequeMailbox.Id)) registration = registration.WithMailbox(CompactDequeMailbox.Id);
        var region = IotClusterHostingExtensions.IsClustered(system)
            ? DeviceSharding.StartRegion(system, registration, IotClusterHostingExtensions.OptionsOf(system).DeviceShards)
            : system.ActorOf(DeviceRouter.Props(registration), RegionActorName);
        registry.Register<DeviceRegion>(region);
        return region;
    }
}
