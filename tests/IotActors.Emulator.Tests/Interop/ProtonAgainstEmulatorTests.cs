using System.Text;
using IotActors.Emulator.Tests.Adapter;
using IotActors.Emulator.Tests.Peers;
using IotActors.Platform.Credentials;

namespace IotActors.Emulator.Tests.Interop;

/// <summary>
/// Code nobody here wrote (Qpid Proton, and a Python signer written from the spec) talks to the
/// emulator: proof that it speaks standard AMQP 1.0 and checks signatures the way the platform does.
/// </summary>
public sealed class ProtonAgainstEmulatorTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private string _caPem = null!;

    public async Task InitializeAsync()
    {
        _platform = await TestPlatform.StartAsync();
        _caPem = Path.Combine(Path.GetTempPath(), $"iotactors-emulator-{Guid.NewGuid():N}.pem");
        _platform.Emulator.ExportCertificatePem(_caPem);
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        File.Delete(_caPem);
    }

    private ProtonReceiveOptions Receive(int count, string secret = TestPlatform.Secret, string signMethod = "hmacsha256") =>
        new($"amqps://localhost:{_platform.Emulator.Port}", count)
        {
            CaPemPath = _caPem,
            Signing = new ProtonSigning(TestPlatform.KeyId, secret, TestPlatform.Group, "proton-client")
            {
                SignMethod = signMethod,
                IotInstanceId = TestPlatform.Instance,
            },
        };

    [SkippableTheory]
    [InlineData("hmacsha256")]
    [InlineData("hmacsha1")]
    [InlineData("Hmacmd5")]
    public async Task Proton_client_signs_in_over_tls_receives_and_accepts(string signMethod)
    {
        RealPeers.RequireProton();
        for (var i = 0; i < 5; i++)
        {
            _platform.Emulator.Publish(new EmulatedMessage($"/a1Test/dev{i}/thing/event/property/post", $"90000000000000000{i:D2}",
                1_709_258_405_120 + i, Encoding.UTF8.GetBytes($"{{\"seq\":{i}}}")));
        }

        var result = await ProtonClient.ReceiveAsync(Receive(5, signMethod: signMethod));

        Assert.True(result.Process.Succeeded, result.Process.Describe());
        Assert.Equal(5, result.Accepted);
        foreach (var m in result.Messages)
        {
            Assert.Equal("data", m.BodySection);
            Assert.Equal("long", m.GenerateTimeType);
            Assert.Equal(m.MessageId, m.StandardMessageId);
            Assert.StartsWith("/a1Test/dev", m.Topic);
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"90000000000000000{i:D2}"), result.Messages.Select(m => m.MessageId!).Order());
        await _platform.Emulator.WaitForAcceptedAsync(TestPlatform.Group, 5, TimeSpan.FromSeconds(10));
    }

    [SkippableFact]
    public async Task Proton_client_with_a_wrong_secret_is_refused()
    {
        RealPeers.RequireProton();

        var result = await ProtonClient.ReceiveAsync(Receive(1, secret: "wrong-secret") with { Timeout = TimeSpan.FromSeconds(10) });

        Assert.Equal(ProtonClient.ExitAuthenticationFailed, result.Process.ExitCode);
        Assert.True(_platform.Emulator.GetStats(TestPlatform.Group).AuthenticationFailures >= 1);
    }

    [SkippableFact]
    public async Task Python_signer_and_our_signer_agree_byte_for_byte()
    {
        RealPeers.RequireProton();
        var signing = new ProtonSigning(TestPlatform.KeyId, TestPlatform.Secret, TestPlatform.Group, "c-1")
        {
            SignMethod = "hmacsha1",
            AuthMode = "ststoken",
            SecurityToken = "CAIS+tok/en==",
            IotInstanceId = "iot-x",
            Timestamp = 1_700_000_000_000,
        };

        var (userName, password) = await ProtonClient.SignAsync(signing);

        Assert.True(UserName.TryParse(userName, out var parsed, out var reason), reason);
        Assert.Equal("c-1", parsed!.ClientId);
        Assert.Equal("CAIS+tok/en==", parsed.SecurityToken);
        Assert.Equal(PasswordSignature.Compute(SignMethod.HmacSha1, TestPlatform.Secret, TestPlatform.KeyId, "1700000000000", "CAIS+tok/en=="), password);
    }
}
