using System.Diagnostics;
using System.Text.RegularExpressions;
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
        foreach (var a in new[] { "run", "--devices", "50", "--rate", "400", "--count", "800", "--view-interval", "500ms" }) start.ArgumentList.Add(a);
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
}
