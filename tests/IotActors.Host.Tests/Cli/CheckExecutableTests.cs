using System.Globalization;

namespace IotActors.Host.Tests.Cli;

/// <summary>The real <c>iot-actors</c> executable, configured only through IOTACTORS__PLATFORM__* variables of the child process.</summary>
public class CheckExecutableTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary><c>iot-actors check</c> in the platform's base path (no appsettings.json there).</summary>
    private static HostProcess StartCheck(CheckPlatform platform, IReadOnlyDictionary<string, string?> environment) =>
        HostProcess.StartIn(platform.BasePath, environment, "check");

    [Fact]
    public async Task Executable_checks_with_environment_configuration_and_never_prints_the_secret()
    {
        await using var platform = await CheckPlatform.StartAsync();
        var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        using var ok = StartCheck(platform, platform.Environment());
        var okExit = await ok.WaitForExitAsync(Deadline);
        using var wrong = StartCheck(platform, platform.Environment(("IOTACTORS__PLATFORM__ACCESSKEYSECRET", "wrong-Secret+/=value-96")));
        var wrongExit = await wrong.WaitForExitAsync(Deadline);
        using var invalid = StartCheck(platform, platform.Environment(("IOTACTORS__PLATFORM__IDLETIMEOUT", "10")));
        var invalidExit = await invalid.WaitForExitAsync(Deadline);

        var to = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True(okExit == 0, ok.Output);
        Assert.Contains($"OK: connected to amqps://127.0.0.1:{platform.Emulator.Port.ToString(CultureInfo.InvariantCulture)} as client ID iot-actors-check, consumer group CHECK_GROUP, receiver link attached in ", ok.StandardOutput);
        Assert.True(wrongExit == 1, wrong.Output);
        Assert.Contains("FAIL [authentication]", wrong.StandardError);
        Assert.True(invalidExit == 2, invalid.Output);
        Assert.Contains("error: Platform:IdleTimeout is 10 s; allowed 30–300 s", invalid.StandardError);

        var all = ok.Output + wrong.Output + invalid.Output;
        Secrets.AssertAbsent(all, CheckPlatform.Secret, "wrong-Secret+/=value-96");
        Secrets.AssertNoPassword(all, CheckPlatform.KeyId, CheckPlatform.Secret, from, to);
        Secrets.AssertNoPassword(all, CheckPlatform.KeyId, "wrong-Secret+/=value-96", from, to);
    }
}
