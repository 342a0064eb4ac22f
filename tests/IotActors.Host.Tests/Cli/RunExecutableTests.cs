using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using IotActors.Emulator.Simulation;
using IotActors.Host.Configuration;

namespace IotActors.Host.Tests.Cli;

/// <summary>The README's first command, as a real process: the embedded default runs, consumes, and stops cleanly on SIGTERM.</summary>
public partial class RunExecutableTests
{
    [GeneratedRegex(@"accepted (\d+) \| in flight (\d+)")]
    private static partial Regex LiveLine();

    [Fact]
    public async Task Embedded_default_consumes_every_simulated_message_and_exits_0_on_sigterm()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iot-actors.dll"));
        var port = FreePort();
        foreach (var a in new[] { "run", "--devices", "50", "--rate", "400", "--count", "800", "--view-interval", "500ms", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith(IotActorsConfiguration.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);

        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var allAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (lines) lines.Add(line);
            var m = LiveLine().Match(line);
            if (m.Success && m.Groups[1].Value == "800" && m.Groups[2].Value == "0") allAccepted.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await allAccepted.Task.WaitAsync(TimeSpan.FromSeconds(90));
            await CheckHttpApiAsync(port);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (lines) Assert.Fail("iot-actors run did not behave in time:\n" + string.Join('\n', lines.TakeLast(40)));
        }

        var output = string.Join('\n', lines);
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("EMBEDDED DEFAULT", lines[0] + lines.ElementAtOrDefault(1));
        Assert.Contains("Stopped: in-flight deliveries drained.", output);
    }

    /// <summary>The API answers, and every twin equals what the same seeded simulator says the devices sent.</summary>
    private static async Task CheckHttpApiAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Matches(@"iotactors_messages_accepted_total\{[^}]*client_id=""embedded-0""[^}]*\} \d+", metrics);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/devices/a1Nobody/none")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/devices/a1Sim000/bad%01name")).StatusCode);

        // The embedded default simulates with seed 42 over 3 products: the same simulator gives the ground truth.
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 50, Products = 3, Seed = 42 });
        foreach (var _ in simulator.Generate(800)) { }
        foreach (var (device, truth) in simulator.Truth.Devices)
        {
            using var twin = JsonDocument.Parse(await http.GetStringAsync($"/api/devices/{device.ProductKey}/{device.DeviceName}"));
            var root = twin.RootElement;
            Assert.Equal(truth.DistinctMessages, root.GetProperty("messagesApplied").GetInt64());
            Assert.Equal(truth.Status?.Status, root.GetProperty("status").GetString());
            foreach (var (id, p) in truth.Properties)
            {
                var actual = root.GetProperty("properties").GetProperty(id);
                Assert.Equal(p.Time, actual.GetProperty("time").GetInt64());
                Assert.True(p.ValueEquals(actual.GetProperty("value")), $"{device} {id}: {actual} != {p.ValueJson}");
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
