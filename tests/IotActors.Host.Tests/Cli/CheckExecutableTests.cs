using System.Diagnostics;
using System.Globalization;
using IotActors.Host.Configuration;

namespace IotActors.Host.Tests.Cli;

/// <summary>The real <c>iot-actors</c> executable, configured only through IOTACTORS__PLATFORM__* variables of the child process.</summary>
public class CheckExecutableTests
{
    private static string HostDll()
    {
        // The host project's output is copied next to the tests by the ProjectReference.
        var path = Path.Combine(AppContext.BaseDirectory, "iot-actors.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project must reference src/IotActors.Host.");
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "iot-actors.runtimeconfig.json")), "iot-actors.runtimeconfig.json is missing next to the tests.");
        return path;
    }

    private static async Task<CheckRun> RunAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Only our variables configure the child, whatever the test runner's environment holds.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith(IotActorsConfiguration.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("iot-actors check did not exit within 90 s");
        }
        return new CheckRun(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Executable_checks_with_environment_configuration_and_never_prints_the_secret()
    {
        await using var platform = await CheckPlatform.StartAsync();
        var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var ok = await RunAsync(platform.Environment(), platform.BasePath, "check");
        var wrong = await RunAsync(platform.Environment(("IOTACTORS__PLATFORM__ACCESSKEYSECRET", "wrong-Secret+/=value-96")), platform.BasePath, "check");
        var invalid = await RunAsync(platform.Environment(("IOTACTORS__PLATFORM__IDLETIMEOUT", "10")), platform.BasePath, "check");

        var to = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains($"OK: connected to amqps://127.0.0.1:{platform.Emulator.Port.ToString(CultureInfo.InvariantCulture)} as client ID iot-actors-check, consumer group CHECK_GROUP, receiver link attached in ", ok.Output);
        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        Assert.Contains("FAIL [authentication]", wrong.Error);
        Assert.True(invalid.ExitCode == 2, invalid.ToString());
        Assert.Contains("error: Platform:IdleTimeout is 10 s; allowed 30–300 s", invalid.Error);

        var all = ok.All + wrong.All + invalid.All;
        Secrets.AssertAbsent(all, CheckPlatform.Secret, "wrong-Secret+/=value-96");
        Secrets.AssertNoPassword(all, CheckPlatform.KeyId, CheckPlatform.Secret, from, to);
        Secrets.AssertNoPassword(all, CheckPlatform.KeyId, "wrong-Secret+/=value-96", from, to);
    }
}
