using System.Text.Json;

namespace IotActors.Bench.Tests;

/// <summary>
/// CI smoke of <c>iotactors-bench --quick</c>, run in-process: every scenario is measured against the emulator and
/// reported with its ratio to the ceiling. No performance threshold: figures on a shared 2-core machine drift.
/// </summary>
public sealed class QuickRunTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iotactors-bench-tests-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Quick_run_reports_every_scenario_with_throughput_and_ratios_to_the_ceiling()
    {
        var json = Path.Combine(_directory, "quick.json");
        var output = new StringWriter();

        var exit = await BenchProgram.MainAsync(["--quick", "--json", json], output, output).WaitAsync(TimeSpan.FromMinutes(5));

        var table = output.ToString();
        Assert.True(exit == 0, table);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = report.RootElement;
        Assert.True(root.GetProperty("quick").GetBoolean());

        var results = root.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("scenario").GetString()!);
        Assert.Equal(["akka-floor", "akka-persist-floor", "ceiling", "iotactors-durable", "iotactors-memory", "vendor-sample"], results.Keys.Order());
        foreach (var (scenario, result) in results)
        {
            Assert.True(result.GetProperty("error").ValueKind == JsonValueKind.Null, $"{scenario}: {result.GetProperty("error")}\n{table}");
            Assert.True(result.GetProperty("messages_per_second").GetDouble() > 0, $"{scenario} accepted nothing\n{table}");
            Assert.True(result.GetProperty("cpu_seconds_per100k").GetDouble() > 0, $"{scenario} has no CPU figure\n{table}");
            Assert.True(result.GetProperty("saturated").GetProperty("samples").GetInt32() > 0, $"{scenario} recorded no latency\n{table}");
            Assert.True(result.GetProperty("throughput_vs_ceiling").GetDouble() > 0, $"{scenario} has no ratio to the ceiling\n{table}");
            // Each of the cell's 200 devices got one message before the warm-up: the window is not their first contact.
            Assert.Equal(200, result.GetProperty("primed_messages").GetInt64());
            foreach (var window in new[] { "saturated_gc", "paced_gc" })
            {
                var paused = result.GetProperty(window).GetProperty("paused_fraction").GetDouble();
                Assert.True(paused is >= 0 and <= 1, $"{scenario} {window} paused {paused}\n{table}");
            }
        }
        Assert.Equal(1.0, results["ceiling"].GetProperty("throughput_vs_ceiling").GetDouble(), 6);
        foreach (var pipeline in new[] { "akka-floor", "iotactors-memory", "akka-persist-floor", "iotactors-durable" })
        {
            Assert.True(results[pipeline].GetProperty("cpu_vs_ceiling").GetDouble() > 0, table);
            // Every device of the quick cell was incarnated before the window (steady state, not first contact).
            Assert.Equal(200, results[pipeline].GetProperty("counters").GetProperty("devices_resident_before").GetInt64());
        }

        var memory = Assert.Single(root.GetProperty("memory").EnumerateArray());
        Assert.True(memory.GetProperty("bytes_per_device").GetDouble() > 0, table);
        Assert.Equal(0, memory.GetProperty("devices_alive_after_passivation").GetInt64());
        // Akka's floor beside it: an empty sharded actor, and an empty persistent one that holds Eventsourced on top.
        var floor = Assert.Single(root.GetProperty("floors").EnumerateArray());
        Assert.True(floor.GetProperty("error").ValueKind == JsonValueKind.Null, $"{floor.GetProperty("error")}\n{table}");
        var empty = floor.GetProperty("empty_actor_bytes").GetDouble();
        Assert.True(empty > 0, table);
        Assert.True(floor.GetProperty("persistent_actor_bytes").GetDouble() > empty, table);
        Assert.Contains("### Akka's floor: idle sharded actors that hold nothing", table);
        var recovery = root.GetProperty("recovery");
        Assert.Equal(0, recovery.GetProperty("wrong_state").GetInt32());
        Assert.True(recovery.GetProperty("recover_seconds").GetDouble() > 0, table);

        // The printed table carries the same scenarios and the ratio columns.
        Assert.Contains("| msg/s | × ceiling | CPU s / 100k | × ceiling |", table);
        Assert.Contains("| GC paused, saturated / paced (gen0/1/2) |", table);
        foreach (var scenario in results.Keys) Assert.Contains($"| {scenario} |", table);
        Assert.Contains("### Targets (reported, not asserted)", table);
    }

    [Fact]
    public async Task A_cold_fleet_meets_its_devices_in_the_window()
    {
        var json = Path.Combine(_directory, "cold.json");
        var output = new StringWriter();

        var exit = await BenchProgram.MainAsync(
            ["--quick", "--cold-fleet", "--scenarios", "iotactors-memory", "--memory-devices", "0", "--recovery-devices", "0", "--paced", "0", "--json", json],
            output, output).WaitAsync(TimeSpan.FromMinutes(3));

        var table = output.ToString();
        Assert.True(exit == 0, table);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.True(report.RootElement.GetProperty("cold_fleet").GetBoolean());
        var result = Assert.Single(report.RootElement.GetProperty("results").EnumerateArray());
        Assert.True(result.GetProperty("messages_per_second").GetDouble() > 0, table);
        var counters = result.GetProperty("counters");
        Assert.Equal(0, counters.GetProperty("devices_resident_before").GetInt64());
        Assert.Equal(0, result.GetProperty("primed_messages").GetInt64());
        Assert.True(counters.GetProperty("devices_alive").GetInt64() > 0, table);
    }

    [Fact]
    public async Task A_repeated_cell_alternates_its_scenarios_and_is_summarized_by_its_median()
    {
        var json = Path.Combine(_directory, "repeat.json");
        var output = new StringWriter();

        var exit = await BenchProgram.MainAsync(
            ["--quick", "--repeat", "2", "--scenarios", "ceiling,iotactors-memory", "--memory-devices", "0", "--recovery-devices", "0", "--json", json],
            output, output).WaitAsync(TimeSpan.FromMinutes(3));

        var table = output.ToString();
        Assert.True(exit == 0, table);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = report.RootElement;
        Assert.Equal(2, root.GetProperty("repetitions").GetInt32());
        var runs = root.GetProperty("results").EnumerateArray()
            .Select(r => (Scenario: r.GetProperty("scenario").GetString(), Repetition: r.GetProperty("repetition").GetInt32(), Ratio: r.GetProperty("throughput_vs_ceiling")))
            .ToList();
        // The second repetition runs the scenarios in reverse order, and each run has a ratio to its own repetition's ceiling.
        Assert.Equal([("ceiling", 1), ("iotactors-memory", 1), ("iotactors-memory", 2), ("ceiling", 2)], runs.Select(r => (r.Scenario, r.Repetition)));
        Assert.All(runs, r => Assert.True(r.Ratio.ValueKind == JsonValueKind.Number && r.Ratio.GetDouble() > 0, table));

        var summaries = root.GetProperty("summaries").EnumerateArray().ToDictionary(s => s.GetProperty("scenario").GetString()!);
        Assert.Equal(["ceiling", "iotactors-memory"], summaries.Keys.Order());
        var memory = summaries["iotactors-memory"];
        Assert.Equal(2, memory.GetProperty("repetitions").GetInt32());
        var ratio = memory.GetProperty("throughput_vs_ceiling");
        var ratios = runs.Where(r => r.Scenario == "iotactors-memory").Select(r => r.Ratio.GetDouble()).ToList();
        Assert.Equal(ratios.Average(), ratio.GetProperty("median").GetDouble(), 9);
        Assert.Equal(ratios.Min(), ratio.GetProperty("min").GetDouble(), 9);
        Assert.Contains("### Medians over 2 repetitions per cell", table);
        Assert.Contains("medians of 2 repetitions", table);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
