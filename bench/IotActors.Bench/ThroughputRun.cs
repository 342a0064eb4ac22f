using IotActors.Bench.Measurement;
using IotActors.Bench.Reporting;
using IotActors.Bench.Scenarios;
using IotActors.Bench.Traffic;
using IotActors.Actors.Devices;
using IotActors.Emulator;

namespace IotActors.Bench;

/// <summary>
/// One scenario on one cell: connect, send every device its first message (unless <see cref="BenchSettings.ColdFleet"/>),
/// warm up under saturation, measure a saturated window (rate, CPU, allocation,
/// latency), drain, offer <see cref="BenchSettings.LatencyLoad"/> × that rate for the paced latency window, drain,
/// disconnect. Every wait is bounded; a scenario that cannot be measured yields a result with <c>Error</c> set.
/// </summary>
public sealed class ThroughputRun(BenchEmulator emulator, MessageFactory factory, BenchSettings settings, LatencyRecorder latency, TextWriter log)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public async Task<ScenarioResult> RunAsync(BenchCell cell, int cellIndex, string scenario)
    {
        var connections = scenario == ScenarioNames.VendorSample ? 1 : cell.Connections;
        var clientIds = Enumerable.Range(0, connections).Select(i => $"{scenario}-{cellIndex}-{i}").ToList();
        var platform = emulator.Platform(clientIds, cell.Credit);
        var shape = BodyShape.For(cell.BodyBytes);
        IConsumerUnderTest consumer = scenario switch
        {
            ScenarioNames.Ceiling => new RawReceiver(platform, emulator.TrustedRoots, decodeBody: false, latency),
            ScenarioNames.VendorSample => new RawReceiver(platform, emulator.TrustedRoots, decodeBody: true, latency),
            ScenarioNames.Adapter => new AdapterReceiver(platform, emulator.TrustedRoots, latency),
            ScenarioNames.AkkaFloor => new AkkaFloorConsumer(platform, emulator.TrustedRoots, persistent: false, latency, settings.Verbose, Resident(cell)),
            ScenarioNames.AkkaPersistFloor => new AkkaFloorConsumer(platform, emulator.TrustedRoots, persistent: true, latency, settings.Verbose, Resident(cell)),
            ScenarioNames.IotActorsMemory => new PipelineConsumer(platform, emulator.TrustedRoots, durable: false, settings.Topology, latency, settings.Verbose, Resident(cell), everyMessage: settings.MemoryEveryMessage, devices: settings.PipelineDeviceOptions()),
            ScenarioNames.IotActorsDurable => new PipelineConsumer(platform, emulator.TrustedRoots, durable: true, settings.Topology, latency, settings.Verbose, Resident(cell), settings.SqliteAsBefore, synchronous: settings.SqliteSynchronous, groupCommit: !settings.SqlitePluginWrites, checkpointPages: settings.SqliteCheckpointPages, keepEvents: settings.KeepEvents, spreadSnapshots: !settings.UnspreadSnapshots, backgroundCheckpoints: !settings.SqliteWriterCheckpoints, devices: settings.PipelineDeviceOptions()),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "unknown scenario"),
        };

        var result = new ScenarioResult { Scenario = scenario, Cell = cell, Connections = connections };
        await using var producer = new TrafficProducer(emulator.Emulator, BenchEmulator.Group, factory, cell, shape);
        try
        {
            // The previous scenario's connections are gone (anything it left queued is consumed in this warm-up).
            await WaitAsync(s => s.AttachedReceivers == 0 && s.OnlineClients == 0, DrainTimeout, "the previous scenario's connections to close");

            using (var connect = new CancellationTokenSource(ConnectTimeout))
            {
                await consumer.StartAsync(connect.Token);
            }
            await WaitAsync(s => s.AttachedReceivers >= connections, ConnectTimeout, $"{connections} attached receivers");

            // Enough queued that no link ever waits for the producer, small enough to drain in a moment.
            var backlog = Math.Max(2_000, 2 * connections * cell.Credit);
            if (!settings.ColdFleet) result = await PrimeAsync(result, producer, backlog);
            var warmupMessages = scenario == ScenarioNames.IotActorsDurable ? settings.DurableWarmupMessages(cell, settings.PipelineDeviceOptions().SnapshotEvery) : 0;
            var warmupLimit = warmupMessages > 0 ? Max(settings.Warmup, settings.DurableWarmupLimit) : settings.Warmup;
            var warmupStats = emulator.Stats();
            var warmupClock = ProcessClock.Now();
            producer.Saturate(backlog, warmupLimit + settings.Measure + TimeSpan.FromSeconds(30));
            await Task.Delay(settings.Warmup);
            if (warmupMessages > 0) result = result with { WarmupNote = await WarmUpDurableAsync(warmupStats.Accepted, warmupMessages, warmupLimit) };
            result = result with { WarmupSeconds = ProcessClock.Now().ElapsedSince(warmupClock).TotalSeconds };

            latency.Start();
            var startStats = emulator.Stats();
            var start = ProcessClock.Now();
            await Task.Delay(settings.Measure);
            var end = ProcessClock.Now();
            var endStats = emulator.Stats();
            latency.Stop();
            var saturated = latency.Summarize();
            await producer.StopAsync();

            var seconds = end.ElapsedSince(start).TotalSeconds;
            var accepted = endStats.Accepted - startStats.Accepted;
            var rate = accepted / seconds;
            result = result with
            {
                MessagesPerSecond = rate,
                MessagesMeasured = accepted,
                MeasuredSeconds = seconds,
                Saturated = saturated,
                CpuSecondsPer100k = accepted == 0 ? 0 : (end.Cpu - start.Cpu).TotalSeconds / accepted * 100_000,
                AllocatedBytesPerMessage = accepted == 0 ? 0 : (end.Allocated - start.Allocated) / (double)accepted,
                SaturatedGc = end.GcSince(start),
            };
            await WaitAsync(s => Backlog(s) == 0 && s.InFlight == 0, DrainTimeout, "the saturated backlog to drain");

            if (settings.Paced > TimeSpan.Zero && rate > 0)
            {
                var offered = settings.LatencyLoad * rate;
                var rampUp = TimeSpan.FromSeconds(Math.Min(1, settings.Paced.TotalSeconds / 2));
                producer.Pace(offered, rampUp + settings.Paced + TimeSpan.FromSeconds(30));
                await Task.Delay(rampUp);
                latency.Start();
                var pacedStart = emulator.Stats();
                var pacedClock = ProcessClock.Now();
                await Task.Delay(settings.Paced);
                var pacedEndClock = ProcessClock.Now();
                var pacedSeconds = pacedEndClock.ElapsedSince(pacedClock).TotalSeconds;
                var pacedEnd = emulator.Stats();
                latency.Stop();
                await producer.StopAsync();
                result = result with
                {
                    Paced = latency.Summarize(),
                    PacedOfferedPerSecond = offered,
                    PacedAcceptedPerSecond = (pacedEnd.Accepted - pacedStart.Accepted) / pacedSeconds,
                    PacedGc = pacedEndClock.GcSince(pacedClock),
                };
                await WaitAsync(s => Backlog(s) == 0 && s.InFlight == 0, DrainTimeout, "the paced backlog to drain");
            }
            result = result with { Counters = consumer.Counters() };
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or Amqp.AmqpException or InvalidOperationException or IOException)
        {
            log.WriteLine($"    {scenario}: not measured: {e.GetType().Name}: {e.Message}");
            result = result with { Error = $"{e.GetType().Name}: {e.Message}" };
        }
        finally
        {
            latency.Stop();
            await producer.StopAsync();
            try
            {
                await consumer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                log.WriteLine($"    {scenario}: did not stop within 90 s");
            }
        }
        return result;
    }

    /// <summary>
    /// Sends every device of the cell one message and waits until they are all accepted, so that the window does not pay
    /// for first messages: a device's first message is journaled even in memory (<c>DeviceStateWrites.OnStop</c>), and
    /// a uniform draw over 100k devices leaves about half of them unmessaged after a 2-s warm-up (over 1M, almost all).
    /// </summary>
    private async Task<ScenarioResult> PrimeAsync(ScenarioResult result, TrafficProducer producer, int backlog)
    {
        var devices = result.Cell.Devices;
        var limit = TimeSpan.FromSeconds(60 + devices / 2_000.0);
        var before = emulator.Stats().Accepted;
        var clock = ProcessClock.Now();
        producer.Prime(backlog, limit);
        try
        {
            await WaitAsync(s => s.Accepted - before >= devices, limit, $"a first message to each of {devices} devices");
        }
        finally
        {
            await producer.StopAsync();
        }
        return result with
        {
            PrimedMessages = emulator.Stats().Accepted - before,
            PrimeSeconds = ProcessClock.Now().ElapsedSince(clock).TotalSeconds,
        };
    }

    /// <summary>
    /// Keeps the durable warm-up (<see cref="BenchSettings.Warmup"/> already spent) going until <paramref name="messages"/>
    /// were accepted since <paramref name="acceptedBefore"/>, for at most <paramref name="limit"/> in all; says how far it got.
    /// </summary>
    private async Task<string> WarmUpDurableAsync(long acceptedBefore, long messages, TimeSpan limit)
    {
        var cycles = settings.DurableSnapshotCycles;
        try
        {
            if (limit > settings.Warmup)
                await emulator.Emulator.WaitForStatsAsync(BenchEmulator.Group, s => s.Accepted - acceptedBefore >= messages, limit - settings.Warmup);
        }
        catch (TimeoutException)
        {
            // Reported, not fatal: the window then measures a store that has not yet reached its steady state.
        }
        var done = emulator.Stats().Accepted - acceptedBefore;
        return done >= messages
            ? $"warm-up {cycles:0.#} snapshot cycles"
            : $"warm-up ended at {limit.TotalSeconds:0} s after {cycles * done / messages:0.0} of {cycles:0.#} snapshot cycles";
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private int Resident(BenchCell cell) => settings.ColdFleet ? 0 : cell.Devices;

    private static int Backlog(EmulatorStats s) => s.Pending + s.Stacked;

    private async Task WaitAsync(Func<EmulatorStats, bool> condition, TimeSpan timeout, string what)
    {
        try
        {
            await emulator.Emulator.WaitForStatsAsync(BenchEmulator.Group, condition, timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}: {e.Message}", e);
        }
    }
}
