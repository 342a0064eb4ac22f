using System.Diagnostics.Metrics;
using IotActors.Actors.Diagnostics;

namespace IotActors.Bench.Measurement;

/// <summary>
/// Reads the actor core's own instruments (meter <c>IotActors</c>) with a <see cref="MeterListener"/>: the
/// receive-to-ack histogram feeds a <see cref="LatencyRecorder"/>; the counters show what a figure would hide
/// (released deliveries, parked messages, live device actors).
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private LatencyRecorder? _latency;
    private long _released, _parked, _devicesAlive, _accepted;

    public PipelineMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IotActorsMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "iotactors.receive_to_ack.duration") _latency?.Record(value);
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "iotactors.messages.accepted": Interlocked.Add(ref _accepted, value); break;
                case "iotactors.messages.released": Interlocked.Add(ref _released, value); break;
                case "iotactors.messages.parked": Interlocked.Add(ref _parked, value); break;
                case "iotactors.devices.alive": Interlocked.Add(ref _devicesAlive, value); break;
            }
        });
        _listener.Start();
    }

    /// <summary>Where receive-to-ack measurements go (null: nowhere).</summary>
    public LatencyRecorder? Latency { get => Volatile.Read(ref _latency); set => Volatile.Write(ref _latency, value); }

    public long Accepted => Interlocked.Read(ref _accepted);
    public long Released => Interlocked.Read(ref _released);
    public long Parked => Interlocked.Read(ref _parked);

    /// <summary>Device actors alive in this process (the <c>iotactors.devices.alive</c> gauge, summed over product keys).</summary>
    public long DevicesAlive => Interlocked.Read(ref _devicesAlive);

    public void Dispose() => _listener.Dispose();
}
