using System.Security.Cryptography.X509Certificates;
using IotActors.Platform.Amqp;

namespace IotActors.Platform.Options;

/// <summary>Turns validated <see cref="PlatformOptions"/> into a <see cref="ReceiverEndpoint"/> per connection attempt.</summary>
public static class PlatformEndpoints
{
    /// <summary>
    /// The endpoint for one attempt of one client ID: TLS always, a freshly signed login (new timestamp),
    /// the platform's idle timeout and credit. Call it again for every reconnect.
    /// </summary>
    public static ReceiverEndpoint CreateEndpoint(this PlatformOptions options, string clientId,
        X509Certificate2Collection? trustedRoots = null, TimeProvider? clock = null)
    {
        var login = options.CreateLogin(clientId, clock);
        if (trustedRoots is null && !string.IsNullOrEmpty(options.TrustedRootCa))
        {
            trustedRoots = CertificateTrust.LoadPem(options.TrustedRootCa);
        }

        return new ReceiverEndpoint
        {
            Host = options.Host,
            Port = options.Port,
            UseTls = true,
            UserName = login.UserName.Build(),
            Password = login.Password,
            Name = clientId,
            AdvertisedIdleTimeout = options.IdleTimeout,
            Credit = options.LinkCredit,
            ConnectTimeout = options.ConnectTimeout,
            TrustedRoots = trustedRoots,
        };
    }
}
