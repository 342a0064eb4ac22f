using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IotActors.Bench.Measurement;

namespace IotActors.Bench.Reporting;

/// <summary>The report as Markdown tables (console, and ready to paste into BENCHMARKS.md) and as JSON.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Fills each result's ratios against the ceiling of the same cell and repetition (null where it has no ceiling).</summary>
    public static List<ScenarioResult> WithRatios(IReadOnlyList<ScenarioResult> results) =>
        results.Select(r =>
        {
            var ceiling = results.FirstOrDefault(c => c.Scenario == ScenarioNames.Ceiling && c.Cell == r.Cell && c.Repetition == r.Repetition && c.Error is null && c.MessagesPerSecond > 0);
            if (ceiling is null || r.Error is not null) return r;
            return r with
            {
                ThroughputVsCeiling = r.MessagesPerSecond / ceiling.MessagesPerSecond,
                CpuVsCeiling = ceiling.CpuSecondsPer100k > 0 ? r.CpuSecondsPer100k / ceiling.CpuSecondsPer100k : null,
                PacedP99VsCeiling = r.Paced is not null && ceiling.Paced is { P99: > 0 } ? r.Paced.P99 / ceiling.Paced.P99 : null,
            };
        }).ToList();

    public static void WriteJson(BenchReport report, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, JsonSerializer.Serialize(report, Json));
    }

    public static string ToJson(BenchReport report) => JsonSerializer.Serialize(report, Json);

    public static void WriteTables(BenchReport report, TextWriter w)
    {
        Table(w, $"### Throughput and latency ({F(report.MeasureSeconds, 1)} s saturated window; latency also at {F(report.LatencyLoad * 100, 0)} % of each scenario's own sustained rate)",
            "| cell | scenario | conns | msg/s | × ceiling | CPU s / 100k | × ceiling | alloc B/msg | saturated p50 / p99 / max ms | offered msg/s | paced p50 / p99 / max ms | GC paused, saturated / paced (gen0/1/2) | notes |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in report.Results)
        {
            if (r.Error is not null)
            {
                w.WriteLine($"| {r.Cell} | {r.Scenario} | {r.Connections} | – | – | – | – | – | – | – | – | – | not measured: {r.Error} |");
                continue;
            }
            var notes = new List<string>();
            if (report.Repetitions > 1) notes.Add($"repetition {r.Repetition}");
            // Only where it took a while: with 1k devices the first messages are a fraction of a second.
            if (r.PrimeSeconds >= 1) notes.Add($"a message to each of {r.PrimedMessages} devices first ({F(r.PrimeSeconds, 0)} s)");
            if (r.WarmupNote is not null) notes.Add($"{r.WarmupNote} ({F(r.WarmupSeconds, 0)} s)");
            foreach (var (key, value) in r.Counters.Where(c => c.Value != 0 && c.Key != "decoded")) notes.Add($"{key} {value}");
            if (r.Paced is not null && r.PacedAcceptedPerSecond < 0.95 * r.PacedOfferedPerSecond)
                notes.Add($"paced window accepted only {F(r.PacedAcceptedPerSecond, 0)} msg/s");
            w.WriteLine($"| {r.Cell} | {r.Scenario} | {r.Connections} | {F(r.MessagesPerSecond, 0)} | {Ratio(r.ThroughputVsCeiling)} | {F(r.CpuSecondsPer100k, 2)} | {Ratio(r.CpuVsCeiling)} | " +
                        $"{F(r.AllocatedBytesPerMessage, 0)} | {Latency(r.Saturated)} | {(r.Paced is null ? "–" : F(r.PacedOfferedPerSecond, 0))} | {Latency(r.Paced)} | {r.SaturatedGc?.ToString() ?? "–"} / {r.PacedGc?.ToString() ?? "–"} | {string.Join(", ", notes)} |");
        }

        if (report.Repetitions > 1) WriteMedians(report, w);

        if (report.Memory.Count > 0)
        {
            Table(w, "### Idle resident device actors (twins, in-memory journal, incarnated by a state query)",
                "| devices | region | bytes / device | heap before | heap with devices | working set | incarnated in | passivation returned | passivated in | notes |",
                "|--:|---|--:|--:|--:|--:|--:|--:|--:|---|");
            foreach (var m in report.Memory)
            {
                var notes = m.Error ?? (m.DevicesAliveAtMeasure < m.Devices ? $"only {m.DevicesAliveAtMeasure} alive at the measurement" : "");
                if (m.DevicesAliveAfterPassivation is > 0) notes += $" {m.DevicesAliveAfterPassivation} still alive after the wait";
                w.WriteLine($"| {BenchCell.Count(m.Devices)} | {m.Topology} | {F(m.BytesPerDevice, 0)} | {Mib(m.HeapBeforeBytes)} | {Mib(m.ManagedHeapBytes)} | {Mib(m.WorkingSetBytes)} | " +
                            $"{F(m.IncarnateSeconds, 1)} s ({F(m.DevicesPerSecond, 0)}/s) | {(m.PassivationReturnedFraction is { } f ? F(f * 100, 0) + " %" : "–")} | " +
                            $"{(m.PassivationSeconds is { } s ? F(s, 1) + " s" : "–")} | {notes.Trim()} |");
            }
        }

        if (report.Floors.Count > 0)
        {
            Table(w, "### Akka's floor: idle sharded actors that hold nothing (the devices' region settings, mailbox and IDs)",
                "| actors | empty actor, bytes | empty persistent actor, bytes | idle twin, bytes | twin above the persistent floor | notes |",
                "|--:|--:|--:|--:|--:|---|");
            foreach (var f in report.Floors)
            {
                var twin = report.Memory.FirstOrDefault(m => m.Devices == f.Actors && m.Error is null);
                var above = twin is null || f.Error is not null ? "–" : F(twin.BytesPerDevice - f.PersistentActorBytes, 0);
                w.WriteLine($"| {BenchCell.Count(f.Actors)} | {Bytes(f.EmptyActorBytes, f.Error)} | {Bytes(f.PersistentActorBytes, f.Error)} | {(twin is null ? "–" : F(twin.BytesPerDevice, 0))} | {above} | {f.Error} |");
            }
        }

        if (report.Dedupe is { } d)
        {
            w.WriteLine();
            w.WriteLine($"A full messageId window ({d.Entries} IDs of 19 digits): {F(d.BytesPerWindow / 1024, 1)} KiB per device ({F(d.BytesPerEntry, 0)} B per ID).");
        }

        if (report.Recovery is { } rec)
        {
            Table(w, "### Durable state on SQLite: write one message to each of N devices, restart, recover all N",
                "| devices | written in | bytes / device with state | node restart | recovered in | wrong state | notes |",
                "|--:|--:|--:|--:|--:|--:|---|");
            w.WriteLine($"| {BenchCell.Count(rec.Devices)} | {F(rec.WriteSeconds, 1)} s ({F(rec.WritesPerSecond, 0)}/s) | {(rec.BytesPerDeviceWithState >= 0 ? F(rec.BytesPerDeviceWithState, 0) : "– (heap shrank)")} | {F(rec.RestartSeconds, 1)} s | " +
                        $"{F(rec.RecoverSeconds, 1)} s ({F(rec.RecoveredPerSecond, 0)}/s) | {rec.WrongState} | {rec.Error} |");
        }

        if (report.Targets.Count > 0)
        {
            Table(w, "### Targets (reported, not asserted)",
                "| target | verdict | evidence |",
                "|---|---|---|");
            foreach (var t in report.Targets) w.WriteLine($"| {t.Target} | {t.Verdict} | {t.Evidence} |");
        }
        w.WriteLine();
    }

    private static void WriteMedians(BenchReport report, TextWriter w)
    {
        Table(w, $"### Medians over {report.Repetitions} repetitions per cell (each ratio to its own repetition's ceiling; [least–greatest])",
            "| cell | scenario | runs | msg/s | × ceiling | paced p99 ms | alloc B/msg |",
            "|---|---|--:|--:|--:|--:|--:|");
        foreach (var s in report.Summaries)
        {
            w.WriteLine($"| {s.Cell} | {s.Scenario} | {s.Repetitions} | {s.MessagesPerSecond.Format(0)} | {s.ThroughputVsCeiling?.Format(2) ?? "–"} | " +
                        $"{s.PacedP99?.Format(1) ?? "–"} | {F(s.AllocatedBytesPerMessage.Median, 0)} |");
        }
    }

    /// <summary>A Markdown table's start: a blank line, its heading, a blank line, its header and alignment rows.</summary>
    private static void Table(TextWriter w, string heading, string header, string alignment)
    {
        w.WriteLine();
        w.WriteLine(heading);
        w.WriteLine();
        w.WriteLine(header);
        w.WriteLine(alignment);
    }

    private static string Latency(LatencySummary? l) => l is null ? "–" : $"{F(l.P50, 2)} / {F(l.P99, 2)} / {F(l.Max, 1)}";

    private static string Bytes(double bytes, string? error) => error is null ? F(bytes, 0) : "–";

    private static string Ratio(double? r) => r is { } v ? F(v, 2) : "–";

    private static string Mib(long bytes) => F(bytes / (1024.0 * 1024), 0) + " MiB";

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
