using System.Security.Cryptography.X509Certificates;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class EmulatorCertificateTests
{
    [Fact]
    public async Task Certificate_is_a_server_certificate_for_localhost_and_loopback_exported_without_its_key()
    {
        await using var emulator = await PlatformEmulator.StartAsync(EmulatorClient.Options());

        var san = emulator.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(san.EnumerateIPAddresses(), ip => ip.ToString() == "127.0.0.1");
        Assert.Contains(san.EnumerateIPAddresses(), ip => ip.ToString() == "::1");
        var eku = emulator.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), oid => oid.Value == "1.3.6.1.5.5.7.3.1");
        Assert.True(emulator.Certificate.HasPrivateKey);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", emulator.CertificatePem);
        Assert.DoesNotContain("PRIVATE KEY", emulator.CertificatePem);
        var path = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.pem");
        try
        {
            emulator.ExportCertificatePem(path);
            using var exported = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            Assert.Equal(emulator.Certificate.Thumbprint, exported.Thumbprint);
            Assert.False(exported.HasPrivateKey);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Two_emulators_started_with_port_zero_get_different_free_ports()
    {
        await using var first = await PlatformEmulator.StartAsync(EmulatorClient.Options());
        await using var second = await PlatformEmulator.StartAsync(EmulatorClient.Options());
        Assert.NotEqual(first.Port, second.Port);
        Assert.Equal(new Uri($"amqps://127.0.0.1:{first.Port}"), first.Endpoint);
    }
}
