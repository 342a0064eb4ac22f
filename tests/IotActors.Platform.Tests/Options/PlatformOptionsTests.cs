using IotActors.Platform.Credentials;
using IotActors.Platform.Options;

namespace IotActors.Platform.Tests.Options;

public class PlatformOptionsTests
{
    private static PlatformOptions Valid() => new()
    {
        Host = "iot-06z00example.amqp.iothub.aliyuncs.com",
        AccessKeyId = "LTAIEXAMPLE",
        AccessKeySecret = "secret-value-123",
        ConsumerGroupId = "DEFAULT_GROUP",
        ClientIds = ["node-1-0", "node-1-1"],
    };

    [Fact]
    public void Defaults_with_required_settings_are_valid()
    {
        Assert.Empty(PlatformOptionsValidator.Validate(Valid()));
        var o = Valid();
        Assert.Equal(5671, o.Port);
        Assert.Equal(TimeSpan.FromSeconds(60), o.IdleTimeout);
        Assert.Equal(100, o.LinkCredit);
    }

    public static TheoryData<Action<PlatformOptions>, string> Invalid => new()
    {
        { o => o.Host = "", "Platform:Host is required" },
        { o => o.Port = 0, "Platform:Port is 0; allowed 1–65535" },
        { o => o.AccessKeyId = "", "Platform:AccessKeyId is required" },
        { o => o.AccessKeySecret = "", "Platform:AccessKeySecret is required" },
        { o => o.ConsumerGroupId = " ", "Platform:ConsumerGroupId is required" },
        { o => o.ClientIds = [], "Platform:ClientIds needs at least one" },
        { o => o.ClientIds = [new string('c', 65)], "has 65 characters; allowed 1–64" },
        { o => o.ClientIds = ["a|b"], "contains '|', ',' or '='" },
        { o => o.ClientIds = ["a,b"], "contains '|', ',' or '='" },
        { o => o.ClientIds = ["a=b"], "contains '|', ',' or '='" },
        { o => o.ClientIds = ["dup", "dup"], "lists 'dup' 2 times" },
        { o => o.IdleTimeout = TimeSpan.FromSeconds(29), "Platform:IdleTimeout is 29 s; allowed 30–300 s" },
        { o => o.IdleTimeout = TimeSpan.FromSeconds(301), "Platform:IdleTimeout is 301 s; allowed 30–300 s" },
        { o => o.LinkCredit = 0, "Platform:LinkCredit is 0; allowed 1–10000" },
        { o => o.LinkCredit = 10_001, "Platform:LinkCredit is 10001; allowed 1–10000" },
        { o => o.ConnectTimeout = TimeSpan.FromSeconds(16), "Platform:ConnectTimeout is 16 s" },
        { o => { o.AuthMode = AuthMode.StsToken; o.SecurityToken = null; }, "Platform:SecurityToken is required" },
        { o => o.TrustedRootCa = "/nonexistent/ca.pem", "Platform:TrustedRootCa file '/nonexistent/ca.pem' does not exist" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_setting_is_named_with_its_allowed_range(Action<PlatformOptions> spoil, string expected)
    {
        var o = Valid();
        spoil(o);
        var ex = Assert.Throws<PlatformOptionsException>(() => PlatformOptionsValidator.ThrowIfInvalid(o));
        Assert.Contains(ex.Errors, e => e.Contains(expected));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Every_login_carries_a_fresh_utc_millisecond_timestamp()
    {
        var clock = new SteppingClock(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var o = Valid();
        var first = o.CreateLogin("c", clock);
        clock.Advance(TimeSpan.FromMilliseconds(1234));
        var second = o.CreateLogin("c", clock);

        Assert.Equal("1700000000000", first.UserName.Timestamp);
        Assert.Equal("1700000001234", second.UserName.Timestamp);
        Assert.NotEqual(first.Password, second.Password);
        Assert.True(PasswordSignature.Verify(o.SignMethod, o.AccessKeySecret, o.AccessKeyId, second.UserName.Timestamp, null, second.Password));
    }

    [Fact]
    public void Login_uses_the_configured_instance_group_and_sts_token()
    {
        var o = Valid();
        o.IotInstanceId = "iot-123";
        o.AuthMode = AuthMode.StsToken;
        o.SecurityToken = "TOKEN+/=";
        var login = o.CreateLogin("c");
        Assert.Equal("iot-123", login.UserName.IotInstanceId);
        Assert.Equal("TOKEN+/=", login.UserName.SecurityToken);
        Assert.Equal("DEFAULT_GROUP", login.UserName.ConsumerGroupId);
        Assert.True(PasswordSignature.Verify(o.SignMethod, o.AccessKeySecret, o.AccessKeyId, login.UserName.Timestamp, "TOKEN+/=", login.Password));
    }

    [Fact]
    public void Options_and_login_text_never_show_secrets()
    {
        var o = Valid();
        o.AuthMode = AuthMode.StsToken;
        o.SecurityToken = "STS-TOKEN-SECRET";
        var login = o.CreateLogin("c");
        foreach (var text in new[] { o.ToString(), login.ToString(), login.UserName.ToString() })
        {
            Assert.DoesNotContain("secret-value-123", text);
            Assert.DoesNotContain("STS-TOKEN-SECRET", text);
            Assert.DoesNotContain(login.Password, text);
        }
    }

    [Fact]
    public void Endpoint_advertises_the_configured_idle_timeout_over_tls()
    {
        var o = Valid();
        o.IdleTimeout = TimeSpan.FromSeconds(120);
        var endpoint = o.CreateEndpoint("node-1-0");
        Assert.True(endpoint.UseTls);
        Assert.Equal(TimeSpan.FromSeconds(120), endpoint.AdvertisedIdleTimeout);
        Assert.Equal(100, endpoint.Credit);
        Assert.StartsWith("node-1-0|", endpoint.UserName);
        Assert.DoesNotContain(endpoint.Password, endpoint.ToString());
    }

    private sealed class SteppingClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
    }
}
