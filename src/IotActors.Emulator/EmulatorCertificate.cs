using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IotActors.Emulator;

/// <summary>
/// The emulator's TLS server certificate: self-signed RSA-2048, made in-process on every start so no
/// key material ever sits in the repository. Clients trust it as a custom root (its PEM), never by
/// switching certificate validation off.
/// </summary>
internal static class EmulatorCertificate
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// A certificate valid for localhost, 127.0.0.1 and ::1, plus <paramref name="listenAddress"/>
    /// when it is another name or IP, and every name in <paramref name="extraHostNames"/> (e.g. a
    /// container's service name), so that a client checking the name succeeds whichever it dials.
    /// </summary>
    public static X509Certificate2 Create(string listenAddress, IEnumerable<string>? extraHostNames = null)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=IotActors platform emulator", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        if (IPAddress.TryParse(listenAddress, out var ip))
        {
            if (!IPAddress.IsLoopback(ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
            {
                san.AddIpAddress(ip);
            }
        }
        else if (!string.Equals(listenAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            san.AddDnsName(listenAddress);
        }

        foreach (var name in extraHostNames ?? [])
        {
            if (IPAddress.TryParse(name, out var extraIp)) san.AddIpAddress(extraIp);
            else if (!string.IsNullOrWhiteSpace(name)) san.AddDnsName(name.Trim());
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = DateTimeOffset.UtcNow;
        // Backdated a day so a client whose clock lags a little still accepts it.
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }
}
