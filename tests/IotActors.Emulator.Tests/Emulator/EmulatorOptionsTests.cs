namespace IotActors.Emulator.Tests.Emulator;

public sealed class EmulatorOptionsTests
{
    [Fact]
    public void Defaults_are_the_platform_documented_values()
    {
        var options = new EmulatorOptions();
        Assert.Equal("127.0.0.1", options.ListenAddress);
        Assert.Equal(0, options.Port);
        Assert.Equal(["DEFAULT_GROUP"], options.ConsumerGroups);
        Assert.Null(options.InstanceId);
        Assert.Null(options.TimestampWindow);
        Assert.Equal(TimeSpan.FromSeconds(15), options.AuthenticationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.AttachTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MinIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(300), options.MaxIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AckTimeout);
        Assert.Equal(200, options.StackedReplayPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(60), options.StackedRetryInterval);
        Assert.Equal(1000, options.MaxMessagesPerSecondPerConnection);
        Assert.Equal(64, options.MaxClientsPerGroup);
        Assert.Equal(100, options.MaxConnectAttemptsPerMinutePerGroup);
        Assert.Equal(TimeSpan.FromHours(24), options.Retention);
        Assert.Equal(1.0, options.TimeScale);
    }

    [Fact]
    public void Validation_names_each_bad_setting_and_its_range()
    {
        var options = EmulatorClient.Options();
        options.AckTimeout = TimeSpan.Zero;
        options.TimeScale = 0;
        options.MaxIdleTimeout = TimeSpan.FromSeconds(10);
        options.ConsumerGroups = ["G", "G"];

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("EmulatorOptions.AckTimeout") && e.Contains("between 1 ms and 30 days"));
        Assert.Contains(errors, e => e.Contains("EmulatorOptions.TimeScale") && e.Contains("greater than 0"));
        Assert.Contains(errors, e => e.Contains("EmulatorOptions.MaxIdleTimeout"));
        Assert.Contains(errors, e => e.Contains("EmulatorOptions.ConsumerGroups"));
    }

    [Fact]
    public async Task Start_refuses_options_without_any_credential()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PlatformEmulator.StartAsync(new EmulatorOptions()));
        Assert.Contains("EmulatorOptions.AccessKeys", error.Message);
    }

    [Fact]
    public void Time_scale_shortens_the_emulators_own_timers()
    {
        var options = new EmulatorOptions { TimeScale = 0.01 };
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.Scaled(options.AckTimeout));
        Assert.Equal(TimeSpan.FromMilliseconds(1), options.Scaled(TimeSpan.FromTicks(1)));
    }
}
