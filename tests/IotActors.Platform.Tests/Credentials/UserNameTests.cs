using IotActors.Platform.Credentials;

namespace IotActors.Platform.Tests.Credentials;

public class UserNameTests
{
    [Fact]
    public void Build_writes_the_documented_grammar()
    {
        var name = new UserName("host-01-0", AuthMode.AkSign, SignMethod.HmacSha256, "1700000000000", "LTAIEXAMPLE", "DEFAULT_GROUP", "iot-06z00example");
        Assert.Equal(
            "host-01-0|authMode=aksign,signMethod=hmacsha256,timestamp=1700000000000,authId=LTAIEXAMPLE,iotInstanceId=iot-06z00example,consumerGroupId=DEFAULT_GROUP|",
            name.Build());
    }

    [Fact]
    public void Build_omits_an_absent_instance_id()
    {
        var name = new UserName("c", AuthMode.AkSign, SignMethod.HmacMd5, "1", "id", "g");
        Assert.DoesNotContain("iotInstanceId", name.Build());
    }

    public static TheoryData<UserName> RoundTrips => new()
    {
        new UserName("c1", AuthMode.AkSign, SignMethod.HmacMd5, "1", "id", "DEFAULT_GROUP"),
        new UserName("c2", AuthMode.AkSign, SignMethod.HmacSha1, "1700000000000", "LTAI", "g", "iot-1"),
        new UserName(new string('x', 64), AuthMode.StsToken, SignMethod.HmacSha256, "9", "STS.K", "g", null, "CAIS+a/b==c"),
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Build_then_parse_round_trips(UserName original)
    {
        Assert.True(UserName.TryParse(original.Build(), out var parsed, out var reason), reason);
        Assert.Equal(original, parsed);
    }

    [Fact]
    public void Parse_accepts_any_key_order_mixed_case_sign_method_and_unknown_keys()
    {
        // The vendor samples use at least three orders; the Go sample sends "Hmacsha1".
        Assert.True(UserName.TryParse("c|consumerGroupId=g,extra=1,authId=id,timestamp=5,signMethod=Hmacsha1,authMode=aksign,iotInstanceId=|", out var parsed, out var reason), reason);
        Assert.Equal(SignMethod.HmacSha1, parsed!.SignMethod);
        Assert.Null(parsed.IotInstanceId); // empty value counts as absent
    }

    [Fact]
    public void Parse_splits_each_pair_on_the_first_equals_only()
    {
        Assert.True(UserName.TryParse("c|authMode=ststoken,signMethod=hmacsha1,timestamp=5,authId=id,consumerGroupId=g,securityToken=ab==cd=|", out var parsed, out var reason), reason);
        Assert.Equal("ab==cd=", parsed!.SecurityToken);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("no-pipes", "clientId|")]
    [InlineData("c|authMode=aksign", "clientId|")]
    [InlineData("|authMode=aksign,signMethod=hmacsha1,timestamp=1,authId=a,consumerGroupId=g|", "clientId is empty")]
    [InlineData("c|signMethod=hmacsha1,timestamp=1,authId=a,consumerGroupId=g|", "lacks authMode")]
    [InlineData("c|authMode=oauth,signMethod=hmacsha1,timestamp=1,authId=a,consumerGroupId=g|", "unknown authMode")]
    [InlineData("c|authMode=aksign,signMethod=rsa,timestamp=1,authId=a,consumerGroupId=g|", "unknown signMethod")]
    [InlineData("c|authMode=aksign,signMethod=hmacsha1,timestamp=yesterday,authId=a,consumerGroupId=g|", "timestamp")]
    [InlineData("c|authMode=aksign,signMethod=hmacsha1,timestamp=1,consumerGroupId=g|", "lacks authId")]
    [InlineData("c|authMode=aksign,signMethod=hmacsha1,timestamp=1,authId=a|", "lacks consumerGroupId")]
    [InlineData("c|authMode=ststoken,signMethod=hmacsha1,timestamp=1,authId=a,consumerGroupId=g|", "securityToken")]
    [InlineData("c|authMode|", "not key=value")]
    public void Parse_refuses_malformed_names_with_a_reason(string? text, string expectedReason)
    {
        Assert.False(UserName.TryParse(text, out var parsed, out var reason));
        Assert.Null(parsed);
        Assert.Contains(expectedReason, reason);
    }

    [Fact]
    public void Parse_refuses_a_client_id_over_64_characters()
    {
        var text = new string('c', 65) + "|authMode=aksign,signMethod=hmacsha1,timestamp=1,authId=a,consumerGroupId=g|";
        Assert.False(UserName.TryParse(text, out _, out var reason));
        Assert.Contains("at most 64", reason);
    }

    [Fact]
    public void ToString_masks_the_security_token()
    {
        var name = new UserName("c", AuthMode.StsToken, SignMethod.HmacSha1, "1", "id", "g", null, "VERY-SECRET-TOKEN");
        Assert.DoesNotContain("VERY-SECRET-TOKEN", name.ToString());
        Assert.Contains("VERY-SECRET-TOKEN", name.Build());
    }
}
