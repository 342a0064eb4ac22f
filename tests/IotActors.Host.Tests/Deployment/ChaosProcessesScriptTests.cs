using System.Diagnostics;
using Xunit.Abstractions;

namespace IotActors.Host.Tests.Deployment;

/// <summary>
/// Process-level chaos (scripts/chaos-processes.sh): a node of three is killed with SIGKILL under traffic, and every
/// device twin the survivors serve still equals the simulator's ground truth.
/// </summary>
[Collection(ProcessTopologyCollection.Name)]
public class ChaosProcessesScriptTests(ITestOutputHelper log)
{
    /// <summary>The script's own bound; the test waits a little longer, so the script reports a hang itself.</summary>
    private const int ScriptSeconds = 170;

    [Fact]
    public async Task Killing_a_node_under_traffic_loses_nothing_and_applies_nothing_twice()
    {
        var root = typeof(ChaosProcessesScriptTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var dir = Directory.CreateTempSubdirectory("iotactors-chaos-processes-");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        // The host this test project was built with (iot-actors.dll lands next to the tests): no second build.
        foreach (var a in new[]
                 {
                     Path.Combine(root, "scripts", "chaos-processes.sh"), "--seconds", ScriptSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--rate", "100", "--count", "2000", "--devices", "40", "--seed", "2024", "--dir", dir.FullName, "--bin", AppContext.BaseDirectory,
                 })
            start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("IOTACTORS__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);

        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(ScriptSeconds + 60));
            await script.WaitForExitAsync(bound.Token);
            var output = await stdout;
            var report = $"exit {script.ExitCode}\n{output}\n--- stderr\n{await stderr}";
            log.WriteLine(report);

            Assert.True(script.ExitCode == 0, report);
            Assert.Matches(@"killed node[23] \(pid \d+, kill -9\)", output);
            Assert.Matches(@"node[23] removed from the cluster after", output);
            Assert.Contains("Every twin matches the ground truth.", output);
            Assert.Matches(@"devices checked\s+40\b", output);
            Assert.Matches(@"mismatching\s+0\b", output);
            Assert.Matches(@"lost messages\s+0\b", output);
            Assert.Matches(@"applied twice\s+0\b", output);
            Assert.Contains("result        PASS", output);
        }
        finally
        {
            if (!script.HasExited) script.Kill(entireProcessTree: true);
            await stdout;
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
