using Akka.Configuration;
using Akka.Hosting;

namespace IotActors.Actors.Serialization;

/// <summary>
/// Binds every IotActors message that crosses nodes or is persisted to <see cref="IotActorsSerializer"/>.
/// Akka.Hosting users call <see cref="WithIotActorsSerialization"/>; an actor system configured from
/// HOCON alone (tests, for example) adds <see cref="Config"/> to its configuration.
/// </summary>
public static class IotActorsSerialization
{
    /// <summary>The name of the serializer in <c>akka.actor.serializers</c>.</summary>
    public const string SerializerName = "iotactors";

    private const string Assembly = "IotActors.Actors";

    /// <summary>The <c>akka.actor.serializers</c> and <c>serialization-bindings</c> entries.</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString(
        $$"""
        akka.actor {
          serializers {
            {{SerializerName}} = "IotActors.Actors.Serialization.IotActorsSerializer, {{Assembly}}"
          }
          serialization-bindings {
            "IotActors.Actors.Devices.IDeviceCommand, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Devices.Processed, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Devices.ProcessingFailed, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Devices.DeviceStateReply, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Devices.Passivate, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Devices.StopDevice, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Devices.ParkedMessage, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Devices.DeviceRecovered, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Behaviors.DeviceOutput, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Persistence.IDeviceEvent, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Persistence.DeviceSnapshot, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Twin.DeviceTwin, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Connections.GetConnectionStatuses, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Connections.ConnectionStatus, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Connections.ConnectionStatuses, {{Assembly}}" = {{SerializerName}}
            "IotActors.Actors.Connections.StopConnectionDaemon, {{Assembly}}" = {{SerializerName}}
          }
        }
        """);

    /// <summary>Registers <see cref="IotActorsSerializer"/> and its bindings (as a fallback: the application's own HOCON wins). Calling it again is harmless.</summary>
    public static AkkaConfigurationBuilder WithIotActorsSerialization(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(Config, HoconAddMode.Append);
    }
}
