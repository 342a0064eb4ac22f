namespace IotActors.Actors.Devices;

/// <summary>
/// <c>ActorRegistry</c> key of the device region: the actor that routes every <see cref="IDeviceCommand"/>
/// to its device actor (the local <see cref="DeviceRouter"/> now, a sharding region in a cluster).
/// Ask for it with <c>registry.Get&lt;DeviceRegion&gt;()</c>.
/// </summary>
public sealed class DeviceRegion
{
    private DeviceRegion()
    {
    }
}
