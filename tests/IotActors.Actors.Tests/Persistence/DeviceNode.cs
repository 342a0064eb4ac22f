using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>An actor system configured like the host does it (Akka.Hosting + <c>WithDevicePersistence</c>), for restart tests.</summary>
internal sealed class DeviceNode : IAsyncDisposable
{
    private readonly IHost _host;

    private DeviceNode(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorSystem System { get; }

    public static async Task<DeviceNode> StartAsync(DevicePersistenceOptions options)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("node", (builder, _) =>
            {
                // Akka.Persistence.Sql's internal WriteFinished (it holds a Task) cannot pass serialize-messages; the
                // device's own messages and events are verified by the serializer tests and the in-memory suites.
                builder.AddHocon("akka.actor.serialize-messages = off", HoconAddMode.Prepend);
                builder.AddHocon(TestDevices.SerializingConfig, HoconAddMode.Append);
                builder.WithDevicePersistence(options);
            }))
            .Build();
        await host.StartAsync();
        return new DeviceNode(host);
    }

    public TestProbe Probe() => new(System, new XunitAssertions());

    public IActorRef Twin(DeviceId device, DeviceOptions? options = null) =>
        System.ActorOf(DeviceActor<DeviceTwin>.Props(device, new DeviceTwinBehavior(), options ?? new DeviceOptions()));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
