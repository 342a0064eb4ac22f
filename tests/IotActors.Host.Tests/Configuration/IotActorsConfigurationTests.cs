using IotActors.Host.Configuration;

namespace IotActors.Host.Tests.Configuration;

public class IotActorsConfigurationTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Later_layers_win_defaults_then_files_then_environment_then_command_line()
    {
        using var dir = new TempDirectory();
        dir.File("appsettings.json", """
            {"Platform": {"Host": "file-host", "Port": 1111, "ConsumerGroupId": "file-group", "LinkCredit": 7}}
            """);
        var environment = new Dictionary<string, string?>
        {
            ["IOTACTORS__PLATFORM__PORT"] = "2222",
            ["IOTACTORS__PLATFORM__CONSUMERGROUPID"] = "env-group",
        };

        var configuration = IotActorsConfiguration.Build(["--Platform:ConsumerGroupId=cli-group"], dir.Path, environment);

        Assert.Equal("file-host", configuration["Platform:Host"]);
        Assert.Equal("2222", configuration["Platform:Port"]);
        Assert.Equal("cli-group", configuration["Platform:ConsumerGroupId"]);
        Assert.Equal("7", configuration["Platform:LinkCredit"]);
        // From the appsettings.json shipped next to the executable (the lowest file layer).
        Assert.Equal("hmacsha256", configuration["Platform:SignMethod"]);
        Assert.Equal("60", configuration["Platform:IdleTimeout"]);
        // Not set anywhere: the options class default applies when binding.
        Assert.Null(configuration["Platform:ConnectTimeout"]);
    }

    [Fact]
    public void Local_appsettings_overrides_the_one_next_to_the_executable()
    {
        using var dir = new TempDirectory();
        dir.File("appsettings.json", """{"Platform": {"IdleTimeout": 120}}""");

        var configuration = IotActorsConfiguration.Build([], dir.Path, NoEnvironment);

        Assert.Equal("120", configuration["Platform:IdleTimeout"]);
        Assert.Equal("DEFAULT_GROUP", configuration["Platform:ConsumerGroupId"]);
    }

    [Fact]
    public void Shipped_appsettings_configures_no_platform_and_holds_no_secret()
    {
        using var dir = new TempDirectory();
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, IotActorsConfiguration.SettingsFileName));

        var configuration = IotActorsConfiguration.Build([], dir.Path, NoEnvironment);

        Assert.False(PlatformOptionsBinder.IsPlatformConfigured(configuration));
        Assert.DoesNotContain("Host", shipped, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Secret", shipped, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Token", shipped, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("5671", configuration["Platform:Port"]);
        Assert.Equal("aksign", configuration["Platform:AuthMode"]);
        Assert.Equal("100", configuration["Platform:LinkCredit"]);
    }

    [Fact]
    public void Environment_names_need_the_prefix_in_any_case_and_double_underscores_separate_sections()
    {
        using var dir = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["iotactors__platform__host"] = "lower.example",
            ["IOTACTORS__PLATFORM__ACCESSKEYID"] = "LTAIEnv",
            ["PLATFORM__CONSUMERGROUPID"] = "no-prefix",
            ["IOTACTORSX__PLATFORM__IOTINSTANCEID"] = "wrong-prefix",
            ["IOTACTORS__"] = "prefix-only",
        };

        var configuration = IotActorsConfiguration.Build([], dir.Path, environment);

        Assert.Equal("lower.example", configuration["Platform:Host"]);
        Assert.Equal("LTAIEnv", configuration["PLATFORM:ACCESSKEYID"]);
        Assert.Equal("DEFAULT_GROUP", configuration["Platform:ConsumerGroupId"]);
        Assert.Null(configuration["Platform:IotInstanceId"]);
    }

    [Fact]
    public void Command_line_accepts_the_configuration_styles()
    {
        using var dir = new TempDirectory();

        var configuration = IotActorsConfiguration.Build(
            ["--Platform:Host=cli.example", "/Platform:Port=5000", "Platform:LinkCredit=5", "--Platform:IotInstanceId", "iot-cli"],
            dir.Path, NoEnvironment);

        Assert.Equal("cli.example", configuration["Platform:Host"]);
        Assert.Equal("5000", configuration["Platform:Port"]);
        Assert.Equal("5", configuration["Platform:LinkCredit"]);
        Assert.Equal("iot-cli", configuration["Platform:IotInstanceId"]);
    }

    [Fact]
    public void Broken_appsettings_is_reported_with_its_path()
    {
        using var dir = new TempDirectory();
        var path = dir.File("appsettings.json", """{"Platform": {"Host": }""");

        var e = Assert.Throws<InvalidDataException>(() => IotActorsConfiguration.Build([], dir.Path, NoEnvironment));

        Assert.Contains(path, e.Message);
    }
}
