using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Actors.Twin;
using Microsoft.Extensions.DependencyInjection;

namespace IotActors.Actors.Tests.Devices;

public class DeviceRegionWithRegisteredBehaviorTests() : TestKit(
    BootstrapSetup.Create().WithConfig(TestDevices.Config)
        .And(new DeviceBehaviorSetup(DeviceBehaviorRegistration.For<RecordingBehavior, ImmutableList<string>>(new DeviceOptions { DedupeWindow = 5 }))))
{
    [Fact]
    public void Region_runs_the_registered_behavior_and_is_started_once()
    {
        var registry = ActorRegistry.For(Sys);

        var region = DeviceHostingExtensions.StartDeviceRegion(Sys, registry);

        Assert.Same(region, DeviceHostingExtensions.StartDeviceRegion(Sys, registry));
        Assert.Equal(region, registry.Get<DeviceRegion>());
        region.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        ExpectMsg<Processed>();
        region.Tell(new GetDeviceState(TestDevices.Device));
        Assert.Equal(["m1"], Assert.IsType<ImmutableList<string>>(ExpectMsg<DeviceStateReply>().State));
    }
}

public class DeviceRegionDefaultBehaviorTests() : TestKit(TestDevices.Config)
{
    [Fact]
    public void Without_a_registered_behavior_devices_run_the_twin()
    {
        var region = DeviceHostingExtensions.StartDeviceRegion(Sys, ActorRegistry.For(Sys));

        region.Tell(new GetDeviceState(TestDevices.Device));

        var twin = Assert.IsType<DeviceTwin>(ExpectMsg<DeviceStateReply>().State);
        Assert.Equal(TestDevices.Device, twin.Device);
    }
}

public class DeviceBehaviorRegistrationTests
{
    [Fact]
    public void With_device_behavior_adds_the_setup_with_configured_options()
    {
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "test");

        builder.WithDeviceBehavior<RecordingBehavior, ImmutableList<string>>(o => o.MaxRetries = 1);

        var registration = Assert.Single(builder.Setups.OfType<DeviceBehaviorSetup>()).Registration;
        Assert.Equal((typeof(RecordingBehavior), typeof(ImmutableList<string>), 1), (registration.BehaviorType, registration.StateType, registration.Options.MaxRetries));
    }

    [Fact]
    public void Second_device_behavior_is_refused()
    {
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "test");
        builder.WithDeviceBehavior<RecordingBehavior, ImmutableList<string>>();

        Assert.Throws<InvalidOperationException>(() => builder.WithDeviceBehavior<DeviceTwinBehavior, DeviceTwin>());
    }

    [Fact]
    public void Invalid_options_fail_at_registration()
    {
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "test");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithDeviceBehavior<RecordingBehavior, ImmutableList<string>>(o => o.DedupeWindow = 0));
        Assert.Equal(nameof(DeviceOptions.DedupeWindow), error.ParamName);
    }

    [Fact]
    public void Every_device_actor_gets_a_behavior_instance_of_its_own()
    {
        var created = 0;
        var registration = DeviceBehaviorRegistration.For(() =>
        {
            created++;
            return new RecordingBehavior();
        });

        registration.DeviceProps(TestDevices.Device);
        registration.DeviceProps(new Platform.Messages.DeviceId("a1Bc", "dev02"));

        Assert.Equal(2, created);
    }

    [Fact]
    public void Registration_keeps_its_own_copy_of_the_options()
    {
        var options = new DeviceOptions { MaxRetries = 2 };
        var registration = DeviceBehaviorRegistration.Twin(options);

        options.MaxRetries = 5;

        Assert.Equal(2, registration.Options.MaxRetries);
    }
}
