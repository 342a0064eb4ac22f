using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using IotActors.Platform.Amqp;
using IotActors.Platform.Credentials;
using IotActors.Platform.Errors;
using IotActors.Platform.Options;

namespace IotActors.Host.Cli;

/// <summary>
/// One thing <c>check</c> found wrong: the stage (DNS, TCP, TLS, authentication, open, attach, timeout),
/// what, and what to do. A <see cref="IsCause"/> finding is one of several possible causes of the finding before it.
/// </summary>
internal sealed record CheckFinding(string Stage, string What, string? Hint, bool IsCause = false);

/// <summary>
/// Turns a failed connection attempt into findings a person can act on, per failure class (spec §1, §2, §4).
/// For a refused login the platform does not say which credential is wrong, so the likely causes are
/// listed, most likely first, with what this configuration makes more or less likely.
/// </summary>
internal static partial class CheckDiagnosis
{
    public const string Dns = "DNS", Tcp = "TCP", Tls = "TLS", Authentication = "authentication",
        Open = "open", Attach = "attach", Timeout = "timeout", Connect = "connect";

    [GeneratedRegex(@"^(?<id>iot-[a-z0-9]+)\.amqp\.iothub\.aliyuncs\.com$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InstanceHost();

    [GeneratedRegex(@"^[0-9]+\.iot-amqp\.[a-z0-9-]+\.aliyuncs\.com$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OldPublicHost();

    /// <summary>Findings for a refused or failed <see cref="AmqpReceiver.ConnectAsync"/>.</summary>
    public static IReadOnlyList<CheckFinding> Diagnose(ReceiverConnectException e, PlatformOptions options, string clientId, CheckTlsProbeResult? probe)
    {
        var where = $"{options.Host}:{options.Port}";
        var seconds = $"{options.ConnectTimeout.TotalSeconds:0.#} s";
        var timedOut = Chain(e).Any(x => x is OperationCanceledException or TimeoutException);
        switch (e.Stage)
        {
            case ConnectStage.Dns when timedOut:
                return [new(Timeout, $"resolving host '{options.Host}' did not finish within {seconds}", "check this machine's DNS servers and network")];
            case ConnectStage.Dns:
                return [new(Dns, e.Reason,
                    "check Platform:Host: copy the AMQP endpoint from the console (instance details → development configuration, " +
                    "e.g. iot-06z00xxxx.amqp.iothub.aliyuncs.com; old public instances: <accountId>.iot-amqp.<regionId>.aliyuncs.com), and this machine's DNS")];

            case ConnectStage.Tcp:
                return [TcpFinding(e, options, where, seconds, timedOut)];

            case ConnectStage.Tls:
                return TlsFindings(e, options, clientId, probe, where, seconds, timedOut);

            case ConnectStage.Authentication:
            {
                var verdict = CloseConditionClassifier.Classify(e.Condition, e.Reason, saslFailure: true);
                if (verdict.Class == CloseClass.Transient)
                {
                    return [new(Authentication, $"the platform's authentication service failed ({verdict.Reason}), not necessarily our credentials", verdict.Hint ?? "try again in a minute")];
                }
                return [new(Authentication, $"the platform refused the login of client ID {clientId} to consumer group {options.ConsumerGroupId} ({e.Reason}); " +
                    "it does not say why. Likely causes, most likely first:", null),
                    .. AuthenticationCauses(options)];
            }

            case ConnectStage.Open when IsCondition(e, AmqpConditions.InvalidField):
                return [new(Open, $"the platform refused our Open frame ({e.Reason}): the idle-time-out we advertise is Platform:IdleTimeout = {options.IdleTimeout.TotalSeconds:0.###} s",
                    "the platform accepts 30–300 s: set Platform:IdleTimeout inside that range (e.g. 60)")];
            case ConnectStage.Open when IsCondition(e, AmqpConditions.ResourceLimitExceeded):
                return [new(Open, $"the platform refused the connection: a limit is exceeded ({e.Reason})",
                    $"more than 100 connection attempts per minute for consumer group {options.ConsumerGroupId} (all its clients together) " +
                    "or too many clients online in the group (64): wait a minute, stop clients that reconnect in a loop, use fewer client IDs")];
            case ConnectStage.Open:
                return [new(Open, $"the platform accepted the login but closed the connection ({e.Reason})",
                    CloseConditionClassifier.Classify(e.Condition, e.Reason).Hint ?? "retry later")];

            case ConnectStage.Attach when timedOut:
                return [new(Timeout, $"the receiver link was not attached within {seconds}",
                    "the network or the platform is slow (it closes a connection without a receiver after 15 s): retry; raise --timeout up to 15 s")];
            case ConnectStage.Attach:
                return [new(Attach, $"the platform refused the receiver link ({e.Reason})",
                    CloseConditionClassifier.Classify(e.Condition, e.Reason).Hint ?? "one receiver link per connection, no sender links")];

            default:
                return [new(Connect, e.Message, CloseConditionClassifier.ClassifyException(e).Hint ?? "retry later")];
        }
    }

    /// <summary>Findings for an exception other than <see cref="ReceiverConnectException"/> (the adapter's contract does not promise it, but the network may).</summary>
    public static IReadOnlyList<CheckFinding> Diagnose(Exception e)
    {
        var verdict = CloseConditionClassifier.ClassifyException(e);
        return [new(Connect, verdict.Reason, verdict.Hint ?? "retry later")];
    }

    private static CheckFinding TcpFinding(ReceiverConnectException e, PlatformOptions options, string where, string seconds, bool timedOut)
    {
        var socket = Chain(e).OfType<SocketException>().FirstOrDefault()?.SocketErrorCode;
        if (timedOut || socket == SocketError.TimedOut)
        {
            return new(Timeout, $"no TCP connection to {where} within {seconds}",
                $"a firewall or security group probably drops the packets: allow outbound TCP to port {options.Port}; check Platform:Host and Platform:Port");
        }
        return socket switch
        {
            SocketError.ConnectionRefused => new(Tcp, $"connection to {where} refused: nothing accepts connections there",
                "check Platform:Port (the AMQP endpoint uses 5671; 61614 is STOMP, not AMQP) and Platform:Host; a firewall may also reject the connection"),
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown or SocketError.AccessDenied =>
                new(Tcp, $"{where} is unreachable ({socket})", $"check routes, proxies and firewalls: outbound TCP to port {options.Port} must be allowed"),
            _ => new(Tcp, $"TCP connection to {where} failed ({e.Reason})", "check Platform:Host, Platform:Port and the network"),
        };
    }

    private static IReadOnlyList<CheckFinding> TlsFindings(ReceiverConnectException e, PlatformOptions options, string clientId,
        CheckTlsProbeResult? probe, string where, string seconds, bool timedOut)
    {
        const string NeverDisable = "never disable certificate validation";
        if (probe is null || !probe.CertificateSeen)
        {
            if (timedOut)
            {
                return [new(Timeout, $"no TLS handshake and login with {where} within {seconds}",
                    "the port may not speak TLS (the platform requires amqps on 5671), or a proxy holds the connection: check Platform:Port and the network")];
            }
            return [new(Tls, $"TLS handshake with {where} failed before a certificate could be checked ({probe?.Failure ?? e.Reason})",
                "the port may not speak TLS (the platform requires amqps on 5671; plain AMQP is refused): check Platform:Port and Platform:Host")];
        }

        var findings = new List<CheckFinding>();
        var subject = $"'{probe.Subject}'" + (probe.Subject == probe.Issuer ? " (self-signed)" : $" issued by '{probe.Issuer}'");
        if ((probe.Errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            findings.Add(new(Tls, $"the server certificate {subject} is for {string.Join(", ", probe.Names)}, not for host '{options.Host}'",
                $"set Platform:Host to a name the certificate lists (the endpoint exactly as the console shows it); {NeverDisable}"));
        }
        if ((probe.Errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            var now = DateTime.UtcNow;
            if ((probe.ChainStatus & X509ChainStatusFlags.NotTimeValid) != 0 || now < probe.NotBefore || now > probe.NotAfter)
            {
                findings.Add(new(Tls, $"the server certificate {subject} is not valid now: valid {probe.NotBefore:yyyy-MM-dd HH:mm} to {probe.NotAfter:yyyy-MM-dd HH:mm} UTC",
                    "check this machine's clock; if the clock is right, the server's certificate has expired"));
            }
            else if (!probe.ChainsToTrustedRoots)
            {
                var (why, hint) = string.IsNullOrEmpty(options.TrustedRootCa)
                    ? ("is not trusted by this machine's CAs",
                       "for the emulator or a proxy with its own CA, set Platform:TrustedRootCa (--trusted-root-ca, IOTACTORS__PLATFORM__TRUSTEDROOTCA) to its PEM file; " +
                       $"for the real platform, update the system CA store; {NeverDisable}")
                    : ($"is trusted by neither this machine's CAs nor Platform:TrustedRootCa '{options.TrustedRootCa}'",
                       "point Platform:TrustedRootCa at the PEM of the CA that issued this certificate (the emulator makes a new one on every start: export it again); " + NeverDisable);
                findings.Add(new(Tls, $"the server certificate {subject} {why} ({probe.ChainStatus})", hint));
            }
        }
        if (findings.Count > 0) return findings;

        // The certificate is fine, so the handshake passed and the peer closed afterwards: during SASL.
        if (timedOut)
        {
            return [new(Timeout, $"the TLS certificate of {where} is valid, but the login and Open did not finish within {seconds}",
                "the platform or a proxy is slow or holds the connection: retry; raise --timeout up to 15 s")];
        }
        return [new(Authentication, $"the TLS certificate of {where} is valid, but the connection closed during the login ({e.Reason}); " +
            $"the platform probably refused the login of client ID {clientId}. Likely causes, most likely first:", null),
            .. AuthenticationCauses(options)];
    }

    /// <summary>
    /// Why the platform may refuse a login (spec §4), most likely first. What the configuration itself
    /// gives away (an instance ID that does not match the host, an STS login) moves to the top.
    /// </summary>
    public static IReadOnlyList<CheckFinding> AuthenticationCauses(PlatformOptions options)
    {
        var causes = new List<CheckFinding>();
        void Cause(string what, string hint) => causes.Add(new(Authentication, what, hint, IsCause: true));
        var instance = string.IsNullOrEmpty(options.IotInstanceId) ? null : options.IotInstanceId;
        var instanceHost = InstanceHost().Match(options.Host);
        var instanceSuspect = false;
        if (instanceHost.Success && !string.Equals(instanceHost.Groups["id"].Value, instance, StringComparison.OrdinalIgnoreCase))
        {
            Cause($"Platform:IotInstanceId is {(instance is null ? "not set" : $"'{instance}'")}, but host '{options.Host}' belongs to instance '{instanceHost.Groups["id"].Value}'",
                $"set Platform:IotInstanceId={instanceHost.Groups["id"].Value}");
            instanceSuspect = true;
        }
        else if (OldPublicHost().IsMatch(options.Host) && instance is not null)
        {
            Cause($"host '{options.Host}' is an old public instance, which takes no iotInstanceId, but '{instance}' is sent",
                "leave Platform:IotInstanceId empty");
            instanceSuspect = true;
        }

        if (options.AuthMode == AuthMode.AkSign && options.AccessKeyId.StartsWith("STS.", StringComparison.Ordinal))
        {
            Cause($"AccessKey ID '{options.AccessKeyId}' is an STS credential, but Platform:AuthMode is aksign",
                "set Platform:AuthMode=ststoken and Platform:SecurityToken to the token issued with it");
        }
        if (options.AuthMode == AuthMode.StsToken)
        {
            Cause("the STS token has expired, or it belongs to another STS AccessKey ID or secret",
                "request new STS credentials (AssumeRole) and set Platform:SecurityToken, Platform:AccessKeyId and Platform:AccessKeySecret from the same response");
        }
        Cause($"the AccessKey secret does not belong to AccessKey ID '{options.AccessKeyId}', so the signature ({options.SignMethod.ToWire()}) does not verify",
            "set Platform:AccessKeySecret from the same AccessKey pair; prefer the IOTACTORS__PLATFORM__ACCESSKEYSECRET environment variable to --access-key-secret");
        Cause($"consumer group '{options.ConsumerGroupId}' does not exist in this instance (IDs are case-sensitive)",
            "copy the consumer group ID from the console (Message forwarding → Server-side subscription → Consumer groups) into Platform:ConsumerGroupId");
        if (!instanceSuspect)
        {
            if (instance is null)
            {
                Cause("no iotInstanceId is sent, but new-generation public and Enterprise Edition instances (an ID iot-… in the console) require it",
                    "set Platform:IotInstanceId to the instance ID from the console");
            }
            else
            {
                Cause($"iotInstanceId '{instance}' is not the instance behind this endpoint, or the instance is an old public one that takes none",
                    "copy the instance ID from the console's instance overview, or leave Platform:IotInstanceId empty for an old public instance");
            }
        }
        Cause($"AccessKey ID '{options.AccessKeyId}' is unknown, disabled or deleted",
            "check the AccessKey in the RAM console (or the account's AccessKey page) and Platform:AccessKeyId");
        Cause("the RAM user of this AccessKey lacks permission iot:sub",
            "grant AliyunIOTFullAccess or a custom policy allowing iot:sub to the RAM user (or the STS role)");
        return causes;
    }

    private static bool IsCondition(ReceiverConnectException e, string condition) =>
        string.Equals(e.Condition, condition, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var e = exception;
        for (var depth = 0; e is not null && depth < 16; depth++)
        {
            yield return e;
            e = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : e.InnerException;
        }
    }
}
