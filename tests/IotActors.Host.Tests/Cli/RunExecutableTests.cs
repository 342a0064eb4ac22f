using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IotActors.Emulator;
using IotActors.Emulator.Simulation;

namespace IotActors.Host.Tests.Cli;

/// <summary><c>iot-actors run</c> as a real process: the README's first command, and the real-platform mode.</summary>
public partial class RunExecutableTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"accepted (\d+) \| in flight (\d+)")]
    private static partial Regex LiveLine();

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Embedded_default_consumes_every_simulated_message_and_exits_0_on_sigterm()
    {
        using var run = HostProcess.Start(new Dictionary<string, string?>(),
            "run", "--devices", "50", "--rate", "400", "--count", "800", "--view-interval", "500ms", "--http-port", "0");

        await run.WaitForLineAsync(l => LiveLine().Match(l) is { Success: true } m && m.Groups[1].Value == "800" && m.Groups[2].Value == "0", Long);
        await CheckEmbeddedHttpApiAsync(await run.HttpApiAsync(Long));
        var exit = await run.TerminateAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, run.Output);
        Assert.Contains(run.Lines.Take(3), l => l.Contains("EMBEDDED DEFAULT", StringComparison.Ordinal));
        Assert.Contains("Stopped: in-flight deliveries drained.", run.Output);
    }

    /// <summary>The API answers, and every twin equals what the same seeded simulator says the devices sent.</summary>
    private static async Task CheckEmbeddedHttpApiAsync(Uri api)
    {
        using var http = new HttpClient { BaseAddress = api };
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

    [Fact]
    public async Task Configured_platform_is_consumed_and_no_secret_appears_in_logs_api_or_metrics()
    {
        await using var platform = await CheckPlatform.StartAsync();
        var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // The port is set through the environment here (that is under test), so it is chosen before the node starts.
        var port = LoopbackPorts.Unused();
        var environment = platform.Environment(
            ("IOTACTORS__PLATFORM__AUTHMODE", "ststoken"),
            ("IOTACTORS__PLATFORM__ACCESSKEYID", CheckPlatform.StsKeyId),
            ("IOTACTORS__PLATFORM__ACCESSKEYSECRET", CheckPlatform.StsSecret),
            ("IOTACTORS__PLATFORM__SECURITYTOKEN", CheckPlatform.StsToken),
            ("IOTACTORS__PLATFORM__CLIENTIDS", "secret-test-0,secret-test-1"),
            ("IOTACTORS__HTTP__PORT", Text(port)));
        for (var i = 0; i < 50; i++)
        {
            var time = 1_709_258_405_000 + i;
            var body = JsonSerializer.Serialize(new { productKey = "a1Sec", deviceName = $"dev{i % 5}", gmtCreate = time, items = new { T = new { value = i, time } } });
            platform.Emulator.Publish(new EmulatedMessage($"/a1Sec/dev{i % 5}/thing/event/property/post", $"sec-{i}", time, Encoding.UTF8.GetBytes(body)));
        }

        using var run = HostProcess.Start(environment, "run", "--view-interval", "500ms");
        await platform.Emulator.WaitForAcceptedAsync(CheckPlatform.Group, 50, Long);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await run.WaitForLineAsync(l => l.Contains("HTTP API on", StringComparison.Ordinal), Long);
        var answers = new StringBuilder();
        foreach (var path in new[] { "/readyz", "/api/connections", "/metrics", "/api/devices/a1Sec/dev1", "/healthz" })
        {
            var response = await http.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            answers.AppendLine(await response.Content.ReadAsStringAsync());
        }
        var exit = await run.TerminateAsync(TimeSpan.FromSeconds(60));
        var to = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.True(exit == 0, run.Output);
        var everything = run.Output + "\n" + answers;
        Assert.Contains("securityToken=***", run.Output);
        Secrets.AssertAbsent(everything, CheckPlatform.StsSecret, CheckPlatform.StsToken);
        Secrets.AssertNoPassword(everything, CheckPlatform.StsKeyId, CheckPlatform.StsSecret, from, to, CheckPlatform.StsToken);
    }
}
