using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IotActors.Platform.Credentials;

namespace IotActors.Emulator.Authentication;

/// <summary>
/// The platform's login rules (spec §1.3–§1.5) over a SASL PLAIN user name and password:
/// userName grammar, consumer group, instance ID, AccessKey or STS credential, HMAC signature and,
/// when configured, timestamp freshness. Pure: no I/O, no state.
/// </summary>
internal sealed class SaslVerifier(EmulatorOptions options, FaultSettings faults)
{
    private readonly HashSet<string> _groups = new(options.ConsumerGroups, StringComparer.Ordinal);

    public AuthenticationOutcome Verify(string userName, string password, DateTimeOffset utcNow)
    {
        if (!UserName.TryParse(userName, out var login, out var parseReason) || login is null)
        {
            return AuthenticationOutcome.Failure("userName: " + parseReason);
        }

        var namedGroup = _groups.Contains(login.ConsumerGroupId) ? login.ConsumerGroupId : null;
        AuthenticationOutcome Fail(string reason) => AuthenticationOutcome.Failure(reason, namedGroup, login);

        if (faults.AuthenticationFailing) return Fail("authentication is failing (injected fault)");
        if (namedGroup is null) return Fail($"unknown consumerGroupId '{login.ConsumerGroupId}'");

        if (options.InstanceId is null && login.IotInstanceId is not null)
        {
            return Fail("iotInstanceId must be absent or empty for this (old public) instance");
        }
        if (options.InstanceId is not null && !string.Equals(options.InstanceId, login.IotInstanceId, StringComparison.Ordinal))
        {
            return Fail(login.IotInstanceId is null ? "iotInstanceId is missing" : $"iotInstanceId '{login.IotInstanceId}' does not match this instance");
        }

        string secret;
        string? token = null;
        if (login.AuthMode == AuthMode.AkSign)
        {
            if (!options.AccessKeys.TryGetValue(login.AuthId, out var akSecret)) return Fail($"unknown AccessKey ID '{login.AuthId}'");
            secret = akSecret;
        }
        else
        {
            var sts = options.StsCredentials.FirstOrDefault(c => string.Equals(c.AccessKeyId, login.AuthId, StringComparison.Ordinal));
            if (sts is null) return Fail($"unknown STS AccessKey ID '{login.AuthId}'");
            if (!FixedTimeEquals(sts.SecurityToken, login.SecurityToken ?? "")) return Fail("securityToken is not valid for this STS AccessKey ID");
            secret = sts.AccessKeySecret;
            token = login.SecurityToken;
        }

        if (!PasswordSignature.Verify(login.SignMethod, secret, login.AuthId, login.Timestamp, token, password))
        {
            return Fail($"password signature does not match (signMethod {login.SignMethod.ToWire()})");
        }

        if (options.TimestampWindow is { } window)
        {
            var timestamp = long.Parse(login.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture);
            var offset = TimeSpan.FromMilliseconds(Math.Abs(utcNow.ToUnixTimeMilliseconds() - (double)timestamp));
            if (offset > window) return Fail($"timestamp is {offset.TotalSeconds:0} s away from the platform clock (allowed ±{window.TotalSeconds:0} s)");
        }

        return AuthenticationOutcome.Success(login);
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
