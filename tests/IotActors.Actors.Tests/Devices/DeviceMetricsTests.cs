using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;
using IotActors.Actors.Diagnostics;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Devices;

public sealed class DeviceMetricsTests : TestKit, IDisposable
{
    // Instruments are process-wide and tests run in parallel: count only this test's product key.
    private const string ProductKey = "pkMetrics";
    private readonly ConcurrentDictionary<string, long> _totals = new();
    private readonly MeterListener _listener = new();

    public DeviceMetricsTests()
        : base(TestDevices.Config)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IotActorsMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == IotActorsMetrics.ProductKeyTag && Equals(tag.Value, ProductKey))
                    _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            }
        });
        _listener.Start();
    }

    [Fact]
    public void Parked_duplicates_and_live_devices_are_measured()
    {
        var device = new DeviceId(ProductKey, "dev01");
        var router = Sys.ActorOf(DeviceRouter.Props(d => DeviceActor<ImmutableList<string>>.Props(d, new RecordingBehavior(), new DeviceOptions { MaxRetries = 0 })));

        router.Tell(TestDevices.Envelope(device, "m1", 1, body: "fail"));
        router.Tell(TestDevices.Envelope(device, "m1", 2));
        router.Tell(TestDevices.Envelope(device, "m2", 3));
        router.Tell(TestDevices.Envelope(new DeviceId(ProductKey, "dev02"), "m1", 4));
        ReceiveN(4);

        Assert.Equal(1, _totals.GetValueOrDefault("iotactors.messages.parked"));
        Assert.Equal(1, _totals.GetValueOrDefault("iotactors.messages.duplicates"));
        Assert.Equal(2, _totals.GetValueOrDefault("iotactors.devices.alive"));

        Watch(router);
        Sys.Stop(router);
        ExpectTerminated(router);
        Assert.Equal(0, _totals.GetValueOrDefault("iotactors.devices.alive"));
    }

    void IDisposable.Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }
}
