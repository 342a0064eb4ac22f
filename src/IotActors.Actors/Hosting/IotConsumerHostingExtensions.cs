using System.Security.Cryptography.X509Certificates;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Platform.Amqp;
using IotActors.Platform.Options;

namespace IotActors.Actors.Hosting;

/// <summary>Akka.Hosting registration of the platform consumer: <c>builder.WithIotConsumer(platform).WithDeviceBehavior&lt;…&gt;()</c>.</summary>
public static class IotConsumerHostingExtensions
{
    /// <summary>
    /// Starts one connection per configured client ID (each under its backoff supervisor) for the
    /// consumer group, routing every message to the device region (the built-in twin unless
    /// <c>WithDeviceBehavior</c> registers another). On shutdown the consumer stops credit, lets
    /// in-flight deliveries finish and be accepted, and closes, before the actor system ends.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="platform">Endpoint, credentials, consumer group and client IDs; validated here.</param>
    /// <param name="consumer">Reconnect, deadline and shutdown settings; default <see cref="ConsumerOptions"/>.</param>
    /// <param name="trustedRoots">Extra trusted roots; default: <see cref="PlatformOptions.TrustedRootCa"/>.</param>
    /// <param name="endpointFactory">
    /// How to build each attempt's endpoint; default <see cref="PlatformEndpoints.CreateEndpoint"/>
    /// (freshly signed every time). A seam for tests and for routing through a proxy.
    /// </param>
    /// <exception cref="PlatformOptionsException">The platform options are invalid.</exception>
    /// <exception cref="ArgumentException">The consumer options are invalid.</exception>
    public static AkkaConfigurationBuilder WithIotConsumer(this AkkaConfigurationBuilder builder, PlatformOptions platform,
        ConsumerOptions? consumer = null, X509Certificate2Collection? trustedRoots = null, Func<string, ReceiverEndpoint>? endpointFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(platform);
        PlatformOptionsValidator.ThrowIfInvalid(platform);
        consumer ??= new ConsumerOptions();
        var problems = consumer.Validate();
        if (problems.Count > 0) throw new ArgumentException("Invalid consumer options: " + string.Join(" ", problems), nameof(consumer));

        if (trustedRoots is null && !string.IsNullOrEmpty(platform.TrustedRootCa)) trustedRoots = CertificateTrust.LoadPem(platform.TrustedRootCa);
        endpointFactory ??= clientId => platform.CreateEndpoint(clientId, trustedRoots);

        // The unbind phase must outlast the drain, or shutdown cuts it short.
        var unbind = consumer.DrainTimeout + TimeSpan.FromSeconds(10);
        builder.AddHocon($"akka.coordinated-shutdown.phases.service-unbind.timeout = {(long)unbind.TotalMilliseconds}ms", HoconAddMode.Prepend);

        return builder
            .WithDeviceRegion()
            .WithActors((system, registry) =>
            {
                var devices = registry.Get<DeviceRegion>();
                var supervisor = system.ActorOf(
                    ConsumerSupervisor.Props(platform.ConsumerGroupId, platform.ClientIds.ToList(), endpointFactory, devices, consumer),
                    "consumer-" + Uri.EscapeDataString(platform.ConsumerGroupId));
                registry.Register<IotConsumer>(supervisor);

                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "iotactors-stop-consuming", async () =>
                {
                    try
                    {
                        await supervisor.Ask<ConsumingStopped>(StopConsuming.Instance, unbind);
                    }
                    catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                    {
                        // What is still unsettled is redelivered by the platform; nothing is lost by giving up here.
                        system.Log.Warning("Consumer did not stop within {0}; closing anyway", unbind);
                    }
                    return Done.Instance;
                });
            });
    }
}
