using IotActors.Host.Configuration;
using IotActors.Platform.Credentials;
using IotActors.Platform.Options;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Tests.Configuration;

public class PlatformOptionsBinderTests
{
    private const string Secret = "binder-Secret+/=value";

    /// <summary>A complete, valid platform in the environment layer, plus <paramref name="overrides"/> (null removes a variable).</summary>
    private static Dictionary<string, string?> Environment(params (string Name, string? Value)[] overrides)
    {
        var environment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["IOTACTORS__PLATFORM__HOST"] = "iot-06z00example.amqp.iothub.aliyuncs.com",
            ["IOTACTORS__PLATFORM__ACCESSKEYID"] = "LTAIEXAMPLE",
            ["IOTACTORS__PLATFORM__ACCESSKEYSECRET"] = Secret,
            ["IOTACTORS__PLATFORM__IOTINSTANCEID"] = "iot-06z00example",
            ["IOTACTORS__PLATFORM__CLIENTIDS"] = "node-1-0",
        };
        foreach (var (name, value) in overrides)
        {
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
        return environment;
    }

    private static (PlatformOptions? Options, IReadOnlyList<string> Errors) Bind(Dictionary<string, string?> environment, string? appsettings = null, params string[] args)
    {
        using var dir = new TempDirectory();
        if (appsettings is not null) dir.File("appsettings.json", appsettings);
        return PlatformOptionsBinder.Bind(IotActorsConfiguration.Build(args, dir.Path, environment));
    }

    private static PlatformOptions Valid((PlatformOptions? Options, IReadOnlyList<string> Errors) result)
    {
        Assert.Empty(result.Errors);
        return Assert.IsType<PlatformOptions>(result.Options);
    }

    [Fact]
    public void Complete_environment_binds_with_defaults_from_the_shipped_appsettings()
    {
        var o = Valid(Bind(Environment()));

        Assert.Equal("iot-06z00example.amqp.iothub.aliyuncs.com", o.Host);
        Assert.Equal(5671, o.Port);
        Assert.Equal("LTAIEXAMPLE", o.AccessKeyId);
        Assert.Equal(Secret, o.AccessKeySecret);
        Assert.Equal("DEFAULT_GROUP", o.ConsumerGroupId);
        Assert.Equal("iot-06z00example", o.IotInstanceId);
        Assert.Equal(["node-1-0"], o.ClientIds);
        Assert.Equal(SignMethod.HmacSha256, o.SignMethod);
        Assert.Equal(AuthMode.AkSign, o.AuthMode);
        Assert.Equal(TimeSpan.FromSeconds(60), o.IdleTimeout);
        Assert.Equal(100, o.LinkCredit);
        Assert.Equal(TimeSpan.FromSeconds(15), o.ConnectTimeout);
        Assert.Null(o.TrustedRootCa);
    }

    [Fact]
    public void Client_ids_are_a_comma_separated_list_trimmed_without_empty_entries()
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__CLIENTIDS", " node-1-0, node-1-1 ,node-1-2,"))));

        Assert.Equal(["node-1-0", "node-1-1", "node-1-2"], o.ClientIds);
    }

    [Fact]
    public void Client_ids_also_bind_as_an_array_in_numeric_order()
    {
        var environment = Environment(("IOTACTORS__PLATFORM__CLIENTIDS", null));
        for (var i = 0; i <= 10; i++) environment[$"IOTACTORS__PLATFORM__CLIENTIDS__{i}"] = $"c{i}";

        var o = Valid(Bind(environment));

        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"c{i}"), o.ClientIds);
    }

    [Fact]
    public void Comma_list_in_the_environment_wins_over_an_array_in_appsettings()
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__CLIENTIDS", "env-a,env-b")),
            """{"Platform": {"ClientIds": ["file-a", "file-b", "file-c"]}}"""));

        Assert.Equal(["env-a", "env-b"], o.ClientIds);
    }

    [Fact]
    public void Array_on_the_command_line_wins_over_a_comma_list_in_the_environment()
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__CLIENTIDS", "env-a,env-b")), null,
            "--Platform:ClientIds:0=cli-a"));

        Assert.Equal(["cli-a"], o.ClientIds);
    }

    [Fact]
    public void Empty_client_ids_in_a_higher_layer_clear_the_list()
    {
        var (options, errors) = Bind(Environment(("IOTACTORS__PLATFORM__CLIENTIDS", "")),
            """{"Platform": {"ClientIds": ["file-a"]}}""");

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith("Platform:ClientIds needs at least one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("hmacmd5", SignMethod.HmacMd5)]
    [InlineData("HmacSHA1", SignMethod.HmacSha1)]
    [InlineData("HMACSHA256", SignMethod.HmacSha256)]
    public void Sign_method_takes_the_wire_name_in_any_case(string text, SignMethod expected)
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__SIGNMETHOD", text))));

        Assert.Equal(expected, o.SignMethod);
    }

    [Fact]
    public void Auth_mode_takes_the_wire_name_in_any_case()
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__AUTHMODE", "StsToken"), ("IOTACTORS__PLATFORM__SECURITYTOKEN", "tok+/=en"))));

        Assert.Equal(AuthMode.StsToken, o.AuthMode);
        Assert.Equal("tok+/=en", o.SecurityToken);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("45.5", 45.5)]
    [InlineData("00:02:00", 120)]
    [InlineData("45s", 45)]
    [InlineData("2m", 120)]
    public void Idle_timeout_is_seconds_or_a_duration(string text, double seconds)
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__IDLETIMEOUT", text))));

        Assert.Equal(TimeSpan.FromSeconds(seconds), o.IdleTimeout);
    }

    [Fact]
    public void Connect_timeout_port_and_credit_bind()
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__CONNECTTIMEOUT", "7.5"), ("IOTACTORS__PLATFORM__PORT", "15671"),
            ("IOTACTORS__PLATFORM__LINKCREDIT", "20"))));

        Assert.Equal(TimeSpan.FromSeconds(7.5), o.ConnectTimeout);
        Assert.Equal(15671, o.Port);
        Assert.Equal(20, o.LinkCredit);
    }

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { "IOTACTORS__PLATFORM__SIGNMETHOD", "sha256", "Platform:SignMethod is 'sha256'; allowed hmacmd5, hmacsha1 or hmacsha256" },
        { "IOTACTORS__PLATFORM__AUTHMODE", "password", "Platform:AuthMode is 'password'; allowed aksign or ststoken" },
        { "IOTACTORS__PLATFORM__PORT", "amqps", "Platform:Port is 'amqps'; expected a whole number" },
        { "IOTACTORS__PLATFORM__LINKCREDIT", "1.5", "Platform:LinkCredit is '1.5'; expected a whole number" },
        { "IOTACTORS__PLATFORM__IDLETIMEOUT", "soon", "Platform:IdleTimeout is 'soon'; expected seconds" },
        { "IOTACTORS__PLATFORM__IDLETIMEOUT", "10", "Platform:IdleTimeout is 10 s; allowed 30–300 s" },
        { "IOTACTORS__PLATFORM__IDLETIMEOUT", "301", "Platform:IdleTimeout is 301 s; allowed 30–300 s" },
        { "IOTACTORS__PLATFORM__CONNECTTIMEOUT", "-1", "Platform:ConnectTimeout is '-1'; expected seconds" },
        { "IOTACTORS__PLATFORM__CONNECTTIMEOUT", "20", "Platform:ConnectTimeout is 20 s; allowed above 0 up to 15 s" },
        { "IOTACTORS__PLATFORM__CLIENTIDS", "a,a", "Platform:ClientIds lists 'a' 2 times" },
        { "IOTACTORS__PLATFORM__HOST", " ", "Platform:Host is required" },
        { "IOTACTORS__PLATFORM__TRUSTEDROOTCA", "/nonexistent/ca.pem", "Platform:TrustedRootCa file '/nonexistent/ca.pem' does not exist" },
        { "IOTACTORS__PLATFORM__HOTS", "typo.example", "Platform:HOTS is not a known setting" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_values_give_errors_that_name_the_setting_and_never_the_secret(string name, string value, string expected)
    {
        var (options, errors) = Bind(Environment((name, value)));

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain(Secret, e));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (_, errors) = Bind(Environment(("IOTACTORS__PLATFORM__SIGNMETHOD", "sha"), ("IOTACTORS__PLATFORM__PORT", "x"),
            ("IOTACTORS__PLATFORM__ACCESSKEYID", null), ("IOTACTORS__PLATFORM__IDLETIMEOUT", "5")));

        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Adjust_runs_before_validation()
    {
        using var dir = new TempDirectory();
        var (options, errors) = PlatformOptionsBinder.Bind(
            IotActorsConfiguration.Build([], dir.Path, Environment(("IOTACTORS__PLATFORM__CLIENTIDS", null))),
            o => o.ClientIds = ["adjusted"]);

        Assert.Empty(errors);
        Assert.Equal(["adjusted"], options!.ClientIds);
    }

    [Fact]
    public void Section_bound_from_any_configuration_not_only_the_layered_one()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:Host"] = "h.example",
            ["Platform:AccessKeyId"] = "LTAI",
            ["Platform:AccessKeySecret"] = Secret,
            ["Platform:ConsumerGroupId"] = "G",
            ["Platform:ClientIds:0"] = "a",
            ["Platform:ClientIds:1"] = "b",
        }).Build();

        var o = Valid(PlatformOptionsBinder.Bind(configuration));

        Assert.Equal(["a", "b"], o.ClientIds);
    }

    [Theory]
    [InlineData("h.example", true)]
    [InlineData(" ", false)]
    [InlineData(null, false)]
    public void Platform_is_configured_when_host_is_set(string? host, bool configured)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:Host"] = host }).Build();

        Assert.Equal(configured, PlatformOptionsBinder.IsPlatformConfigured(configuration));
    }

    [Fact]
    public void Description_for_logs_masks_secret_and_token()
    {
        var o = Valid(Bind(Environment(("IOTACTORS__PLATFORM__AUTHMODE", "ststoken"), ("IOTACTORS__PLATFORM__SECURITYTOKEN", "token-Value-77"))));

        var text = PlatformOptionsBinder.DescribePlatform(o);

        Assert.Contains("amqps://iot-06z00example.amqp.iothub.aliyuncs.com:5671", text);
        Assert.Contains("accessKeySecret=***", text);
        Assert.Contains("securityToken=***", text);
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain("token-Value-77", text);
    }
}
