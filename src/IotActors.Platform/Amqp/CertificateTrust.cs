using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IotActors.Platform.Amqp;

/// <summary>
/// Server certificate validation: the system's verdict, or a chain to one of the extra trusted roots.
/// A host-name mismatch is never forgiven, and there is deliberately no "accept any certificate" mode.
/// </summary>
public static class CertificateTrust
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>Loads every certificate of a PEM file (a root CA, or the emulator's self-signed certificate).</summary>
    public static X509Certificate2Collection LoadPem(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0)
            throw new InvalidDataException($"'{path}' holds no PEM certificate.");
        return roots;
    }

    public static RemoteCertificateValidationCallback CreateCallback(X509Certificate2Collection? trustedRoots) =>
        (_, certificate, _, errors) => Validate(certificate, errors, trustedRoots);

    internal static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? trustedRoots)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate is null || trustedRoots is not { Count: > 0 }) return false;
        // Only an unknown chain may be rescued by our own roots; a wrong name or a missing certificate never.
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
