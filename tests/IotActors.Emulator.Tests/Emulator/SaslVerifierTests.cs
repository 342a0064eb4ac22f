using IotActors.Emulator.Authentication;
using IotActors.Platform.Credentials;
using static IotActors.Emulator.Tests.Emulator.EmulatorClient;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class SaslVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private static AuthenticationOutcome Verify(string userName, string password, EmulatorOptions? options = null, FaultSettings? faults = null) =>
        new SaslVerifier(options ?? Options(), faults ?? new FaultSettings()).Verify(userName, password, Now);

    [Fact]
    public void Valid_login_succeeds_and_names_its_client_and_group()
    {
        var login = Login("c1", timestamp: Now.ToUnixTimeMilliseconds());
        var outcome = Verify(login.Build(), Sign(login, Secret));
        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal("c1", outcome.Login!.ClientId);
        Assert.Equal(Group, outcome.NamedGroup);
    }

    [Theory]
    [InlineData(SignMethod.HmacMd5)]
    [InlineData(SignMethod.HmacSha1)]
    [InlineData(SignMethod.HmacSha256)]
    public void Every_sign_method_is_verified(SignMethod method)
    {
        var login = Login("c1", signMethod: method);
        Assert.True(Verify(login.Build(), Sign(login, Secret)).Succeeded);
    }

    [Fact]
    public void Sign_method_and_key_order_are_accepted_as_the_vendor_go_sample_sends_them()
    {
        const string timestamp = "1700000000000";
        var userName = $"go-client|signMethod=Hmacsha1,consumerGroupId={Group},authMode=aksign,timestamp={timestamp},authId={AccessKeyId},unknownKey=x|";
        var password = PasswordSignature.Compute(SignMethod.HmacSha1, Secret, AccessKeyId, timestamp, null);
        Assert.True(Verify(userName, password).Succeeded);
    }

    [Fact]
    public void Empty_instance_id_counts_as_absent_for_an_old_public_instance()
    {
        const string timestamp = "1700000000000";
        var userName = $"c1|authMode=aksign,signMethod=hmacsha256,timestamp={timestamp},authId={AccessKeyId},iotInstanceId=,consumerGroupId={Group}|";
        var password = PasswordSignature.Compute(SignMethod.HmacSha256, Secret, AccessKeyId, timestamp, null);
        Assert.True(Verify(userName, password).Succeeded);
    }

    [Fact]
    public void Failed_login_still_names_its_configured_group_so_the_attempt_counts()
    {
        var login = Login("c1");
        var outcome = Verify(login.Build(), "bad-password");
        Assert.False(outcome.Succeeded);
        Assert.Equal(Group, outcome.NamedGroup);
        Assert.Contains("signature", outcome.FailureReason);
    }

    [Fact]
    public void Login_for_an_unknown_group_names_no_group()
    {
        var login = Login("c1", group: "OTHER");
        var outcome = Verify(login.Build(), Sign(login, Secret));
        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.NamedGroup);
    }

    [Fact]
    public void Sts_login_with_an_aksign_signature_that_ignores_the_token_is_refused()
    {
        var login = Login("c1", authId: StsKeyId, mode: AuthMode.StsToken, securityToken: StsToken);
        var tokenless = PasswordSignature.Compute(login.SignMethod, StsSecret, login.AuthId, login.Timestamp, null);
        Assert.False(Verify(login.Build(), tokenless).Succeeded);
    }

    [Fact]
    public void Timestamp_inside_the_window_is_accepted_and_outside_refused()
    {
        var options = Options();
        options.TimestampWindow = TimeSpan.FromMinutes(15);
        var fresh = Login("c1", timestamp: Now.AddMinutes(-14).ToUnixTimeMilliseconds());
        var stale = Login("c1", timestamp: Now.AddMinutes(16).ToUnixTimeMilliseconds());
        Assert.True(Verify(fresh.Build(), Sign(fresh, Secret), options).Succeeded);
        Assert.Contains("timestamp", Verify(stale.Build(), Sign(stale, Secret), options).FailureReason);
    }

    [Fact]
    public void Failure_reasons_never_contain_the_secret_or_token()
    {
        var login = Login("c1", authId: StsKeyId, mode: AuthMode.StsToken, securityToken: StsToken + "-wrong");
        var reason = Verify(login.Build(), Sign(login, StsSecret)).FailureReason!;
        Assert.DoesNotContain(StsToken, reason);
        Assert.DoesNotContain(StsSecret, reason);
    }
}
