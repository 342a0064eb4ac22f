using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace IotActors.Host.Cli;

/// <summary>
/// What a TLS handshake with the endpoint reveals about its certificate. <see cref="CertificateSeen"/>
/// false means the handshake failed before a certificate arrived (see <see cref="Failure"/>).
/// </summary>
internal sealed record CheckTlsProbeResult(
    bool CertificateSeen,
    SslPolicyErrors Errors,
    X509ChainStatusFlags ChainStatus,
    bool ChainsToTrustedRoots,
    string Subject,
    string Issuer,
    IReadOnlyList<string> Names,
    DateTime NotBefore,
    DateTime NotAfter,
    string? Failure)
{
    public static CheckTlsProbeResult NotSeen(string failure) =>
        new(false, SslPolicyErrors.None, X509ChainStatusFlags.NoError, false, "", "", [], default, default, failure);
}

/// <summary>
/// A second, diagnostic TLS handshake after <c>check</c> failed in the TLS stage: it records why the
/// certificate was refused (wrong name, unknown issuer, expired) and then rejects it, so nothing is ever
/// sent over a connection whose certificate was not validated. Never used to connect for real.
/// </summary>
internal static class CheckTlsProbe
{
    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>, runs a TLS handshake that records the
    /// certificate's verdict (with the system's CAs, then <paramref name="trustedRoots"/>) and refuses it.
    /// Network and TLS failures become a result; only the caller's cancellation throws.
    /// </summary>
    public static async Task<CheckTlsProbeResult> ProbeAsync(string host, int port, X509Certificate2Collection? trustedRoots,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        CheckTlsProbeResult? seen = null;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    seen = Describe(certificate, chain, errors, trustedRoots);
                    return false;
                },
            };
            await tls.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
            return seen ?? CheckTlsProbeResult.NotSeen("the handshake completed without a certificate check");
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            if (seen is not null) return seen;
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            return CheckTlsProbeResult.NotSeen(e is OperationCanceledException
                ? $"no TLS handshake within {timeout.TotalSeconds:0.#} s"
                : e.GetType().Name + ": " + e.Message);
        }
    }

    private static CheckTlsProbeResult Describe(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? trustedRoots)
    {
        if (certificate is null) return CheckTlsProbeResult.NotSeen("the server sent no certificate");
        using var leaf = new X509Certificate2(certificate);
        var status = X509ChainStatusFlags.NoError;
        foreach (var s in chain?.ChainStatus ?? []) status |= s.Status;

        var chainsToTrustedRoots = false;
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && trustedRoots is { Count: > 0 })
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chainsToTrustedRoots = custom.Build(leaf);
        }

        var names = new List<string>();
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                names.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
            }
        }
        if (names.Count == 0 && leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } cn) names.Add(cn);

        return new CheckTlsProbeResult(true, errors, status, chainsToTrustedRoots, leaf.Subject, leaf.Issuer, names,
            leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime(), null);
    }
}
