using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

public class DeviceOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var options = new DeviceOptions();
        options.Validate();

        Assert.Equal((1000, 3, TimeSpan.FromMilliseconds(100), false, TimeSpan.FromMinutes(2)),
            (options.DedupeWindow, options.MaxRetries, options.RetryBackoff, options.LeaveFailedUnaccepted, options.PassivateAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(700), options.TotalRetryDelay);
    }

    [Fact]
    public void Backoff_doubles_per_retry()
    {
        var options = new DeviceOptions { RetryBackoff = TimeSpan.FromMilliseconds(100) };

        Assert.Equal([100.0, 200.0, 400.0], Enumerable.Range(1, 3).Select(r => options.BackoffBefore(r).TotalMilliseconds));
    }

    [Theory]
    [InlineData(nameof(DeviceOptions.DedupeWindow))]
    [InlineData(nameof(DeviceOptions.MaxRetries))]
    [InlineData(nameof(DeviceOptions.RetryBackoff))]
    [InlineData(nameof(DeviceOptions.PassivateAfter))]
    public void Out_of_range_setting_is_named_in_the_error(string setting)
    {
        var options = setting switch
        {
            nameof(DeviceOptions.DedupeWindow) => new DeviceOptions { DedupeWindow = 0 },
            nameof(DeviceOptions.MaxRetries) => new DeviceOptions { MaxRetries = 11 },
            nameof(DeviceOptions.RetryBackoff) => new DeviceOptions { RetryBackoff = TimeSpan.Zero },
            _ => new DeviceOptions { PassivateAfter = TimeSpan.Zero },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(setting, error.ParamName);
        Assert.Contains("DeviceOptions." + setting, error.Message);
    }

    [Fact]
    public void Retries_that_would_outlast_the_ack_timeout_are_rejected()
    {
        var options = new DeviceOptions { MaxRetries = 10, RetryBackoff = TimeSpan.FromMilliseconds(100) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains("30 s", error.Message);
    }
}
