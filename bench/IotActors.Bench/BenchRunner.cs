using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using IotActors.Bench.Measurement;
using IotActors.Bench.Probes;
using IotActors.Bench.Reporting;
using IotActors.Bench.Traffic;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotActors.Bench;

/// <summary>Runs what the settings ask for, in order (throughput cells, memory probes, the messageId window, recovery), against one emulator.</summary>
public static class BenchRunner
{
    public static async Task<BenchReport> RunAsync(BenchSettings settings, string commandLine, TextWriter log)
    {
        var total = Stopwatch.StartNew();
        // Listening from the start, well before the first window reads it (its session takes a moment to deliver).
        _ = AllocationMeter.Shared;
        var machine = new MachineInfo(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            GCSettings.IsServerGC, AppContext.TryGetSwitch("System.GC.Concurrent", out var concurrent) ? concurrent : true, DateTimeOffset.UtcNow.ToString("u"));
        var loadAtStart = LoadAverage();
        log.WriteLine($"iotactors-bench on {machine.ProcessorCount} cores, {machine.Os}, {machine.Runtime}, {(machine.ServerGc ? "server" : "workstation")} GC; load average {loadAtStart}");
        log.WriteLine($"{settings.Cells.Count} cell(s) x [{string.Join(", ", settings.ScenarioList)}], warm-up {settings.Warmup.TotalSeconds} s" +
                      (settings.DurableSnapshotCycles > 0 ? $" (iotactors-durable: {settings.DurableSnapshotCycles:0.#} snapshot cycles, at most {settings.DurableWarmupLimit.TotalSeconds:0} s)" : "") + ", " +
                      $"measure {settings.Measure.TotalSeconds} s, paced {settings.Paced.TotalSeconds} s at {settings.LatencyLoad:P0}, topology {settings.Topology.ToString().ToLowerInvariant()}");

        // In a method of its own, so the emulator, the producer and the latency buffer are garbage before the memory probes.
        var results = await RunCellsAsync(settings, log, total);

        var memory = new List<MemoryResult>();
        var floors = new List<FloorResult>();
        for (var i = 0; i < settings.MemoryDevices.Count; i++)
        {
            var devices = settings.MemoryDevices[i];
            var passivate = i == 0 && settings.PassivateAfter > TimeSpan.Zero ? settings.PassivateAfter : (TimeSpan?)null;
            log.WriteLine($"[{total.Elapsed:mm\\:ss}] memory: {BenchCell.Count(devices)} idle device actors{(passivate is null ? "" : $", then passivation after {passivate.Value.TotalSeconds} s idle")}");
            var m = await MemoryProbe.RunAsync(devices, passivate, settings.Topology, settings.Verbose, log);
            memory.Add(m);
            log.WriteLine($"    {m.BytesPerDevice:F0} B/device, heap {m.ManagedHeapBytes / 1048576.0:F0} MiB, working set {m.WorkingSetBytes / 1048576.0:F0} MiB" +
                          (m.PassivationReturnedFraction is { } f ? $", passivation returned {f:P0}" : ""));
            if (settings.Topology != Topology.Cluster) continue;
            var floor = await FloorProbe.RunAsync(devices, settings.Verbose, log);
            floors.Add(floor);
            log.WriteLine($"    Akka's floor: {floor.PersistentActorBytes:F0} B per empty persistent sharded actor, {floor.EmptyActorBytes:F0} B per empty sharded actor");
        }

        DedupeCost? dedupe = null;
        if (settings.MemoryDevices.Count > 0)
        {
            dedupe = DedupeProbe.Run();
            log.WriteLine($"    a full messageId window ({dedupe.Entries} IDs): {dedupe.BytesPerWindow / 1024:F1} KiB");
        }

        RecoveryResult? recovery = null;
        if (settings.RecoveryDevices > 0)
        {
            log.WriteLine($"[{total.Elapsed:mm\\:ss}] recovery: {BenchCell.Count(settings.RecoveryDevices)} devices on SQLite, restart, recover");
            recovery = await RecoveryProbe.RunAsync(settings.RecoveryDevices, settings.Topology, settings.Verbose, log, settings.SqliteAsBefore, !settings.SqlitePluginWrites, settings.SqliteCheckpointPages);
            log.WriteLine($"    written in {recovery.WriteSeconds:F1} s, recovered in {recovery.RecoverSeconds:F1} s ({recovery.RecoveredPerSecond:F0}/s), wrong state {recovery.WrongState}");
        }

        var withRatios = ReportWriter.WithRatios(results);
        var deviceOptions = settings.PipelineDeviceOptions();
        var report = new BenchReport
        {
            Machine = machine,
            CommandLine = commandLine,
            Quick = settings.Quick,
            Topology = settings.Topology.ToString().ToLowerInvariant(),
            SqliteAsBefore = settings.SqliteAsBefore,
            MemoryEveryMessage = settings.MemoryEveryMessage,
            SqliteSynchronous = settings.SqliteSynchronous.ToString(),
            SqliteGroupCommit = !settings.SqlitePluginWrites,
            SqliteCheckpointPages = settings.SqliteCheckpointPages,
            KeepEvents = settings.KeepEvents,
            SnapshotEvery = deviceOptions.SnapshotEvery,
            DedupeWindow = deviceOptions.DedupeWindow,
            SpreadSnapshots = !settings.UnspreadSnapshots,
            SqliteBackgroundCheckpoints = !settings.SqliteWriterCheckpoints,
            ColdFleet = settings.ColdFleet,
            WarmupSeconds = settings.Warmup.TotalSeconds,
            DurableSnapshotCycles = settings.DurableSnapshotCycles,
            MeasureSeconds = settings.Measure.TotalSeconds,
            PacedSeconds = settings.Paced.TotalSeconds,
            LatencyLoad = settings.LatencyLoad,
            Repetitions = settings.Repetitions,
            Results = withRatios,
            Summaries = CellSummary.Of(withRatios),
            Memory = memory,
            Floors = floors,
            Recovery = recovery,
            Dedupe = dedupe,
        };
        report.Targets = Targets.Judge(report);
        report.TotalSeconds = total.Elapsed.TotalSeconds;
        report.LoadAverageAtStart = loadAtStart;
        report.LoadAverageAtEnd = LoadAverage();
        return report;
    }

    /// <summary>
    /// The scenarios in the order given for odd repetitions and reversed for even ones: when the machine's load rises or
    /// falls during a cell, the scenarios run first and last trade places, so the median favours neither.
    /// </summary>
    public static IEnumerable<string> ScenarioOrder(IReadOnlyList<string> scenarios, int repetition) =>
        repetition % 2 == 1 ? scenarios : scenarios.Reverse();

    /// <summary>1, 5 and 15 minute load averages (Linux): other work on a shared machine moves every absolute figure.</summary>
    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    private static async Task<List<ScenarioResult>> RunCellsAsync(BenchSettings settings, TextWriter log, Stopwatch total)
    {
        var results = new List<ScenarioResult>();
        await using (var emulator = await BenchEmulator.StartAsync(NullLoggerFactory.Instance))
        {
            log.WriteLine($"emulator on {emulator.Emulator.Endpoint} (per-connection rate limit and stacked replay limit lifted)");
            var factory = new MessageFactory();
            var latency = new LatencyRecorder();
            if (settings.Cells.Count > 0)
            {
                // The first scenario of a run would otherwise pay for JIT and the first TLS handshakes of the process.
                log.WriteLine("priming the transport (JIT, TLS): one short ceiling run, not reported");
                var priming = new BenchSettings { Warmup = TimeSpan.FromSeconds(0.5), Measure = TimeSpan.FromSeconds(1), Paced = TimeSpan.Zero };
                await new ThroughputRun(emulator, factory, priming, latency, log).RunAsync(BenchSettings.BaseCell, -1, ScenarioNames.Ceiling);
            }
            var run = new ThroughputRun(emulator, factory, settings, latency, log);
            for (var i = 0; i < settings.Cells.Count; i++)
            {
                var cell = settings.Cells[i];
                for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
                {
                    log.WriteLine($"[{total.Elapsed:mm\\:ss}] cell {i + 1}/{settings.Cells.Count}: {cell}" +
                                  (settings.Repetitions > 1 ? $", repetition {repetition}/{settings.Repetitions}" : ""));
                    foreach (var scenario in ScenarioOrder(settings.ScenarioList, repetition))
                    {
                        if (scenario == ScenarioNames.VendorSample && cell.Connections > 1)
                        {
                            if (repetition == 1) log.WriteLine($"    {scenario,-18} skipped: the vendor sample opens a single connection (see the conn=1 cells)");
                            continue;
                        }
                        var result = await run.RunAsync(cell, i, scenario) with { Repetition = repetition };
                        results.Add(result);
                        if (result.Error is null)
                        {
                            log.WriteLine($"    {scenario,-18} {result.MessagesPerSecond,9:F0} msg/s  cpu {result.CpuSecondsPer100k,6:F2} s/100k  " +
                                          $"p99 {result.Saturated?.P99 ?? 0,8:F2} ms saturated, {result.Paced?.P99 ?? 0,8:F2} ms at {settings.LatencyLoad:P0}");
                        }
                    }
                }
            }
        }
        return results;
    }
}
