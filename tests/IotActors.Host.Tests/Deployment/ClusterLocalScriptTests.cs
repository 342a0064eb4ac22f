using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IotActors.Host.Tests.Deployment;

/// <summary>The compose topology as plain processes on loopback (scripts/cluster-local.sh): three nodes form one cluster and consume.</summary>
[Collection(ProcessTopologyCollection.Name)]
public class ClusterLocalScriptTests
{
    [Fact]
    public async Task Three_local_nodes_join_one_cluster_share_the_connections_and_stop_cleanly()
    {
        var root = typeof(ClusterLocalScriptTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var dir = Directory.CreateTempSubdirectory("iotactors-cluster-local-");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var a in new[] { Path.Combine(root, "scripts", "cluster-local.sh"), "--seconds", "60", "--rate", "100", "--devices", "30", "--dir", dir.FullName })
            start.ArgumentList.Add(a);
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        var nodes = new List<string>();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(240);
            var readyNodes = 0;
            while (readyNodes < 3)
            {
                if (DateTime.UtcNow > deadline || script.HasExited)
                    Assert.Fail($"the nodes did not all become ready:\n{await Tail(dir)}");
                nodes = StatusPages(dir).ToList();
                readyNodes = 0;
                foreach (var node in nodes)
                {
                    try
                    {
                        if ((await http.GetAsync(node + "/readyz")).StatusCode == HttpStatusCode.OK) readyNodes++;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // Not listening yet.
                    }
                }
                if (readyNodes < 3) await Task.Delay(500); // polling readiness with a deadline
            }

            // Membership gossip and connection hand-offs converge a moment after each node's own readiness.
            var converged = false;
            string last = "";
            while (!converged)
            {
                if (DateTime.UtcNow > deadline) Assert.Fail($"the cluster did not converge: {last}\n{await Tail(dir)}");
                using var cluster = JsonDocument.Parse(await http.GetStringAsync(nodes[0] + "/api/cluster"));
                var up = cluster.RootElement.GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "up");
                using var connections = JsonDocument.Parse(await http.GetStringAsync(nodes[1] + "/api/connections"));
                var attached = connections.RootElement.EnumerateArray()
                    .Where(c => c.GetProperty("state").GetString() == "attached").Select(c => c.GetProperty("clientId").GetString()!).Order().ToList();
                converged = up == 3 && attached.SequenceEqual(["local-0", "local-1", "local-2"]);
                last = $"{up} members up, attached: {string.Join(",", attached)}";
                if (!converged) await Task.Delay(500); // polling convergence with a deadline
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            await script.WaitForExitAsync(exit.Token);
            Assert.True(script.ExitCode == 0, await stderr);
            foreach (var n in new[] { 1, 2, 3 })
                Assert.Contains("Stopped: in-flight deliveries drained.", await File.ReadAllTextAsync(Path.Combine(dir.FullName, $"node{n}.log")));
        }
        finally
        {
            if (!script.HasExited) script.Kill(entireProcessTree: true);
            await stdout;
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static IEnumerable<string> StatusPages(DirectoryInfo dir)
    {
        // The script prints the status pages; they are also in each node's log under "HTTP API on".
        foreach (var n in new[] { 1, 2, 3 })
        {
            var log = Path.Combine(dir.FullName, $"node{n}.log");
            if (!File.Exists(log)) continue;
            string text;
            using (var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var reader = new StreamReader(stream)) text = reader.ReadToEnd();
            var m = Regex.Match(text, @"HTTP API on (http://127\.0\.0\.1:\d+)");
            if (m.Success) yield return m.Groups[1].Value;
        }
    }

    private static async Task<string> Tail(DirectoryInfo dir)
    {
        var text = "";
        foreach (var file in dir.EnumerateFiles("*.log"))
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = (await reader.ReadToEndAsync()).Split('\n');
            text += $"--- {file.Name}\n" + string.Join('\n', lines.TakeLast(15)) + "\n";
        }
        return text;
    }
}
