using IotActors.Host.Running;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Tests.Running;

public class EmbeddedOptionsTests
{
    private static (EmbeddedOptions? Options, IReadOnlyList<string> Errors) Bind(params (string Key, string Value)[] settings) =>
        EmbeddedOptions.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Defaults_are_valid_and_simulate_traffic()
    {
        var (options, errors) = Bind();

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.True(options.SimulatesTraffic);
    }

    [Theory]
    [InlineData("Embedded:Rate", "0")]
    [InlineData("Embedded:Count", "0")]
    public void Zero_rate_or_count_is_valid_and_means_no_traffic(string key, string value)
    {
        var (options, errors) = Bind((key, value));

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.False(options.SimulatesTraffic);
    }

    [Theory]
    [InlineData("Embedded:Rate", "-1", "Embedded:Rate (--rate) is -1; allowed 0 (no simulated traffic) or a positive number of messages per second.")]
    [InlineData("Embedded:Rate", "NaN", "Embedded:Rate (--rate) is NaN; allowed 0")]
    [InlineData("Embedded:Rate", "Infinity", "Embedded:Rate (--rate) is Infinity; allowed 0")]
    [InlineData("Embedded:Devices", "0", "Embedded:Devices (--devices) is 0; allowed 1–99,999")]
    [InlineData("Embedded:Devices", "100000", "Embedded:Devices (--devices) is 100000; allowed 1–99,999")]
    [InlineData("Embedded:Products", "0", "Embedded:Products is 0; allowed 1–999")]
    [InlineData("Embedded:Count", "-1", "Embedded:Count (--count) is -1; allowed 0 or more")]
    [InlineData("Embedded:Connections", "0", "Embedded:Connections is 0; allowed 1–128")]
    [InlineData("Embedded:Connections", "129", "Embedded:Connections is 129; allowed 1–128")]
    public void Out_of_range_setting_is_refused_with_its_name_and_range(string key, string value, string message)
    {
        var (options, errors) = Bind((key, value));

        Assert.Null(options);
        Assert.StartsWith(message, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (_, errors) = Bind(("Embedded:Rate", "-1"), ("Embedded:Devices", "-3"), ("Embedded:Count", "-1"));

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_refused_naming_the_key()
    {
        var (options, errors) = Bind(("Embedded:Rate", "fast"));

        Assert.Null(options);
        Assert.Contains("Embedded:Rate", Assert.Single(errors), StringComparison.Ordinal);
    }
}
