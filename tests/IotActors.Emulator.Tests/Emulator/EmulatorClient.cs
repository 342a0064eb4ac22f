using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Amqp;
using Amqp.Framing;
using IotActors.Platform.Credentials;

namespace IotActors.Emulator.Tests.Emulator;

/// <summary>
/// A raw AMQPNetLite client for the emulator, the way a real consumer connects: TLS trusting the
/// emulator's certificate as a custom root, SASL PLAIN with a signed login, idle-time-out 60 s advertised.
/// </summary>
internal static class EmulatorClient
{
    public const string Group = "DEFAULT_GROUP";
    public const string AccessKeyId = "LTAIexampleKey01";
    public const string Secret = "example-secret-0123456789";
    public const string StsKeyId = "STS.exampleKey02";
    public const string StsSecret = "sts-secret-9876543210";
    public const string StsToken = "CAIS+token/with=special+chars==";

    /// <summary>Generous bound for anything a test waits for.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Options for a fast test. TLS and SASL, and the attach, get 10 s of real time whatever the scale,
    /// so a busy machine does not trip them; tests of those timers set them explicitly.
    /// </summary>
    public static EmulatorOptions Options(double timeScale = 0.05, params string[] groups)
    {
        var options = new EmulatorOptions
        {
            TimeScale = timeScale,
            RandomSeed = 7,
            AccessKeys = { [AccessKeyId] = Secret },
            StsCredentials = { new StsCredential(StsKeyId, StsSecret, StsToken) },
            AuthenticationTimeout = TimeSpan.FromSeconds(10 / timeScale),
            AttachTimeout = TimeSpan.FromSeconds(10 / timeScale),
        };
        if (groups.Length > 0) options.ConsumerGroups = [.. groups];
        return options;
    }

    public static UserName Login(string clientId, string group = Group, string authId = AccessKeyId, string? instanceId = null,
        AuthMode mode = AuthMode.AkSign, string? securityToken = null, long? timestamp = null, SignMethod signMethod = SignMethod.HmacSha256) =>
        new(clientId, mode, signMethod, (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToString(System.Globalization.CultureInfo.InvariantCulture),
            authId, group, instanceId, securityToken);

    public static string Sign(UserName login, string secret) =>
        PasswordSignature.Compute(login.SignMethod, secret, login.AuthId, login.Timestamp, login.AuthMode == AuthMode.StsToken ? login.SecurityToken : null);

    public static Task<Connection> ConnectAsync(PlatformEmulator emulator, string clientId, string group = Group) =>
        ConnectAsync(emulator, Login(clientId, group), Secret);

    public static Task<Connection> ConnectAsync(PlatformEmulator emulator, UserName login, string secret, int idleTimeoutMs = 120_000) =>
        ConnectRawAsync(emulator, login.Build(), Sign(login, secret), idleTimeoutMs);

    public static async Task<Connection> ConnectRawAsync(PlatformEmulator emulator, string userName, string password, int idleTimeoutMs = 120_000, OnOpened? onOpened = null)
    {
        var factory = new ConnectionFactory();
        // AMQPNetLite advertises half of this (120 s → 60 s), like the vendor's .NET sample.
        factory.AMQP.IdleTimeout = idleTimeoutMs;
        var root = X509Certificate2.CreateFromPem(emulator.CertificatePem);
        factory.SSL.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustEmulator(root, certificate, errors);
        var address = new Address(emulator.Host, emulator.Port, userName, password, "/", "amqps");
        return await factory.CreateAsync(address, null, onOpened).WaitAsync(WaitLimit);
    }

    /// <summary>Attaches a receiver and waits for the emulator's answer; credit is granted after the attach.</summary>
    public static async Task<ReceiverLink> AttachReceiverAsync(Connection connection, int credit, string name = "receiver", Session? session = null)
    {
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var link = new ReceiverLink(session ?? new Session(connection), name, new Source { Address = "default" }, (_, attach) =>
        {
            if (attach.Source is not null) attached.TrySetResult();
        });
        link.AddClosedCallback((_, error) => attached.TrySetException(new AmqpException(error ?? new Error(ErrorCode.DetachForced))));
        await attached.Task.WaitAsync(WaitLimit);
        link.SetCredit(credit);
        return link;
    }

    /// <summary>The error an AMQP object (connection, link) was closed with; waits for the close.</summary>
    public static Task<Error?> ClosedAsync(AmqpObject amqpObject)
    {
        var closed = new TaskCompletionSource<Error?>(TaskCreationOptions.RunContinuationsAsynchronously);
        amqpObject.AddClosedCallback((_, error) => closed.TrySetResult(error));
        return closed.Task.WaitAsync(WaitLimit);
    }

    public static async Task<Message> ReceiveAsync(ReceiverLink link)
    {
        var message = await link.ReceiveAsync(WaitLimit);
        Assert.True(message is not null, $"no message within {WaitLimit}");
        return message;
    }

    public static string MessageIdOf(Message message) => (string)message.ApplicationProperties["messageId"];

    public static EmulatedMessage Message(string messageId, string topic = "/a1Bc/dev01/thing/event/property/post", string body = "{\"items\":{}}") =>
        new(topic, messageId, 1_709_258_405_120, System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>Custom-root trust as in the listener facts (§6): never "accept any certificate".</summary>
    private static bool TrustEmulator(X509Certificate2 root, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        return chain.Build(leaf);
    }
}
