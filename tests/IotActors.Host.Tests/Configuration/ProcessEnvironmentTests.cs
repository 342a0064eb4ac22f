using IotActors.Host.Configuration;

namespace IotActors.Host.Tests.Configuration;

/// <summary>Tests that change the real process environment run alone, after every parallel test.</summary>
[CollectionDefinition("environment", DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection("environment")]
public class ProcessEnvironmentTests
{
    [Fact]
    public void Real_environment_variables_map_exactly_like_an_injected_environment()
    {
        var variables = new Dictionary<string, string?>
        {
            ["IOTACTORS__PLATFORM__HOST"] = "env-test.example",
            ["IOTACTORS__PLATFORM__CLIENTIDS"] = "env-a,env-b",
            ["iotactors__platform__signmethod"] = "HmacSha1",
            ["IOTACTORS__PLATFORM__CONSUMERGROUPID"] = "ENV_GROUP",
        };
        var before = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        using var dir = new TempDirectory();
        try
        {
            foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);

            var real = IotActorsConfiguration.Build([], dir.Path);
            var injected = IotActorsConfiguration.Build([], dir.Path, IotActorsConfiguration.ProcessEnvironment());

            Assert.Equal("env-test.example", real["Platform:Host"]);
            Assert.Equal("env-a,env-b", real["Platform:ClientIds"]);
            Assert.Equal("HmacSha1", real["Platform:SignMethod"]);
            foreach (var key in new[] { "Platform:Host", "Platform:ClientIds", "Platform:SignMethod", "Platform:ConsumerGroupId" })
            {
                Assert.Equal(real[key], injected[key]);
            }
        }
        finally
        {
            foreach (var (name, value) in before) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
