using IotActors.Platform.Messages;

namespace IotActors.Emulator.Simulation;

/// <summary>The simulator's mutable view of one device: where it is in its life and its baselines.</summary>
internal sealed class SimulatedDevice
{
    public SimulatedDevice(DeviceId id, string iotId, SimulatedProduct product, Random random)
    {
        Id = id;
        IotId = iotId;
        Product = product;
        BaseTemperature = Math.Round(15 + (random.NextDouble() * 15), 1);
        BaseHumidity = random.Next(30, 80);
        BaseLatitude = 31.0 + random.NextDouble();
        BaseLongitude = 121.0 + random.NextDouble();
    }

    public DeviceId Id { get; }

    public string IotId { get; }

    public SimulatedProduct Product { get; }

    public double BaseTemperature { get; }

    public int BaseHumidity { get; }

    public double BaseLatitude { get; }

    public double BaseLongitude { get; }

    public bool Created { get; set; }

    public bool Online { get; set; }

    /// <summary>Platform time of this device's latest message: the <c>lastTime</c> of its next offline notice.</summary>
    public long LastActivityMs { get; set; }

    public long CreatedAtMs { get; set; }

    public string ClientIp { get; set; } = "";

    public long NextRequestId { get; set; } = 1;
}
