using System.Diagnostics.Metrics;
using IotActors.Actors.Diagnostics;

namespace IotActors.Actors.Tests.Connections;

/// <summary>The sum of <c>iotactors.deliveries.in_flight</c> for one client ID, as an exporter would read it.</summary>
internal sealed class InFlightGauge : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _value;

    public InFlightGauge(string clientId)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument == IotActorsMetrics.InFlight) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, delta, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == IotActorsMetrics.ClientIdTag && Equals(tag.Value, clientId)) Interlocked.Add(ref _value, delta);
            }
        });
        _listener.Start();
    }

    public long Value => Interlocked.Read(ref _value);

    public void Dispose() => _listener.Dispose();
}
