using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IotActors.Emulator.Tests.Peers;

/// <summary>
/// A throw-away TLS server certificate for <c>localhost</c>/127.0.0.1 written as PEM files, for
/// peers that read files (RabbitMQ, Proton's <c>--ca</c>), plus the same certificate with its key
/// for .NET servers. Made fresh per use; no key material lives in the repository.
/// </summary>
public sealed class ServerCertificateFiles : IDisposable
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private ServerCertificateFiles(string folder, X509Certificate2 certificate, string caPem)
    {
        Folder = folder;
        Certificate = certificate;
        CaPemPath = Path.Combine(folder, "ca.pem");
        CertificatePemPath = Path.Combine(folder, "server.pem");
        KeyPemPath = Path.Combine(folder, "server.key");
        File.WriteAllText(CaPemPath, caPem);
        File.WriteAllText(CertificatePemPath, certificate.ExportCertificatePem());
        using var key = certificate.GetRSAPrivateKey()!;
        File.WriteAllText(KeyPemPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>What a client must trust: the issuing CA, or the certificate itself when self-signed.</summary>
    public string CaPemPath { get; }

    public string CertificatePemPath { get; }

    /// <summary>The private key, PKCS#8 PEM.</summary>
    public string KeyPemPath { get; }

    /// <summary>A server certificate issued by a fresh private CA (the CA's PEM is <see cref="CaPemPath"/>).</summary>
    public static ServerCertificateFiles IssuedByPrivateCa()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=IotActors test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var serverKey = RSA.Create(2048);
        var request = ServerRequest(serverKey);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, now.AddDays(-1), now.AddMonths(6), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        return new ServerCertificateFiles(NewFolder(), Reload(withKey), ca.ExportCertificatePem());
    }

    /// <summary>A self-signed server certificate (not a CA), trusted by pinning it as its own root — the emulator's style.</summary>
    public static ServerCertificateFiles SelfSigned()
    {
        using var key = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        using var certificate = ServerRequest(key).CreateSelfSigned(now.AddDays(-1), now.AddMonths(6));
        return new ServerCertificateFiles(NewFolder(), Reload(certificate), certificate.ExportCertificatePem());
    }

    public void Dispose()
    {
        Certificate.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static CertificateRequest ServerRequest(RSA key)
    {
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    /// <summary>A PKCS#12 round trip gives a certificate whose key SslStream can use on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private static string NewFolder() => Directory.CreateTempSubdirectory("iotactors-tls-").FullName;
}
