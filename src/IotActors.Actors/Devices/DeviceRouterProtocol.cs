namespace IotActors.Actors.Devices;

/// <summary>Asks a <see cref="DeviceRouter"/> for <see cref="DeviceRouterStats"/>.</summary>
public sealed class GetDeviceRouterStats
{
    public static readonly GetDeviceRouterStats Instance = new();

    private GetDeviceRouterStats()
    {
    }
}

/// <summary>What a <see cref="DeviceRouter"/> holds right now.</summary>
/// <param name="LiveDevices">Device actors alive (passivating ones included until they have stopped).</param>
/// <param name="Passivating">Device actors asked to stop and not yet terminated.</param>
/// <param name="Buffered">Messages held for passivating devices, to be delivered to their next incarnation.</param>
public sealed record DeviceRouterStats(int LiveDevices, int Passivating, int Buffered);
