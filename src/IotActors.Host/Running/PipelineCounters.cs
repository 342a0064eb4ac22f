using System.Diagnostics.Metrics;
using IotActors.Actors.Diagnostics;

namespace IotActors.Host.Running;

/// <summary>
/// Totals of the actor core's instruments in this process, read from the <c>IotActors</c> meter with a
/// <see cref="MeterListener"/>: what the live console view prints.
/// </summary>
public sealed class PipelineCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _received, _accepted, _released, _parked, _duplicates, _inFlight, _reconnects, _devices;

    public PipelineCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IotActorsMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "iotactors.messages.received": Interlocked.Add(ref _received, value); break;
                case "iotactors.messages.accepted": Interlocked.Add(ref _accepted, value); break;
                case "iotactors.messages.released": Interlocked.Add(ref _released, value); break;
                case "iotactors.messages.parked": Interlocked.Add(ref _parked, value); break;
                case "iotactors.messages.duplicates": Interlocked.Add(ref _duplicates, value); break;
                case "iotactors.deliveries.in_flight": Interlocked.Add(ref _inFlight, value); break;
                case "iotactors.connections.reconnects": Interlocked.Add(ref _reconnects, value); break;
                case "iotactors.devices.alive": Interlocked.Add(ref _devices, value); break;
            }
        });
        _listener.Start();
    }

    public long Received => Interlocked.Read(ref _received);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Released => Interlocked.Read(ref _released);
    public long Parked => Interlocked.Read(ref _parked);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long InFlight => Interlocked.Read(ref _inFlight);
    public long Reconnects => Interlocked.Read(ref _reconnects);
    public long DevicesAlive => Interlocked.Read(ref _devices);

    public void Dispose() => _listener.Dispose();
}
