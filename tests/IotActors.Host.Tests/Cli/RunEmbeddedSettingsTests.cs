using System.Net;
using System.Text.Json;

namespace IotActors.Host.Tests.Cli;

/// <summary><c>iot-actors run</c>'s embedded settings at their edges, as a real process: 0 is a setting, a negative is a usage error.</summary>
public class RunEmbeddedSettingsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Rate_0_starts_the_embedded_platform_without_traffic_and_says_so()
    {
        using var run = HostProcess.Start(new Dictionary<string, string?>(),
            "run", "--rate", "0", "--view-interval", "500ms", "--http-port", "0");

        // Both connections attached: the node consumes, and nothing has been simulated for it to consume.
        var attached = await run.WaitForLineAsync(l => l.Contains("connections 2/2", StringComparison.Ordinal), Long);
        using var http = new HttpClient { BaseAddress = await run.HttpApiAsync(Long) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        using var connections = JsonDocument.Parse(await http.GetStringAsync("/api/connections"));
        Assert.All(connections.RootElement.EnumerateArray(), c => Assert.Equal(0, c.GetProperty("delivered").GetInt64()));
        var exit = await run.TerminateAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("accepted 0 ", attached, StringComparison.Ordinal);
        Assert.True(exit == 0, run.Output);
        Assert.Contains(run.Lines.Take(3), l => l.Contains("EMBEDDED DEFAULT", StringComparison.Ordinal) && l.Contains("no simulated traffic", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate", "-1", "Embedded:Rate (--rate) is -1")]
    [InlineData("--rate", "-0.5", "Embedded:Rate (--rate) is -0.5")]
    [InlineData("--devices", "0", "Embedded:Devices (--devices) is 0")]
    [InlineData("--devices", "-3", "Embedded:Devices (--devices) is -3")]
    [InlineData("--count", "-1", "Embedded:Count (--count) is -1")]
    public async Task Out_of_range_embedded_setting_exits_2_naming_the_setting(string option, string value, string message)
    {
        using var run = HostProcess.Start(new Dictionary<string, string?>(), "run", option, value);

        var exit = await run.WaitForExitAsync(Long);

        Assert.True(exit == 2, run.Output);
        Assert.Contains(run.StandardError.Split('\n'), l => l.StartsWith("error: " + message, StringComparison.Ordinal) && l.Contains("allowed", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("EMBEDDED DEFAULT", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_range_embedded_setting_from_the_environment_exits_2_too()
    {
        using var run = HostProcess.Start(new Dictionary<string, string?> { ["IOTACTORS__EMBEDDED__RATE"] = "-5" }, "run");

        var exit = await run.WaitForExitAsync(Long);

        Assert.True(exit == 2, run.Output);
        Assert.Contains(run.StandardError.Split('\n'), l => l.StartsWith("error: Embedded:Rate (--rate) is -5", StringComparison.Ordinal));
    }
}
