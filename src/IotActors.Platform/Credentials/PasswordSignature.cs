using System.Security.Cryptography;
using System.Text;

namespace IotActors.Platform.Credentials;

/// <summary>
/// The SASL PLAIN password of spec §1.4:
/// <c>Base64(HMAC_signMethod(key = secret, data = "authId=…[&amp;securityToken=…]&amp;timestamp=…"))</c>.
/// Used by the client to sign and by the emulator to verify.
/// </summary>
public static class PasswordSignature
{
    /// <summary>The keys sorted alphabetically and joined as <c>k=v</c> with <c>&amp;</c>.</summary>
    public static string StringToSign(string authId, string timestamp, string? securityToken)
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["authId"] = authId,
            ["timestamp"] = timestamp,
        };
        if (!string.IsNullOrEmpty(securityToken))
        {
            pairs["securityToken"] = securityToken;
        }
        return string.Join("&", pairs.Select(p => p.Key + "=" + p.Value));
    }

    public static string Compute(SignMethod method, string accessKeySecret, string authId, string timestamp, string? securityToken)
    {
        var key = Encoding.UTF8.GetBytes(accessKeySecret);
        var data = Encoding.UTF8.GetBytes(StringToSign(authId, timestamp, securityToken));
        var mac = method switch
        {
            SignMethod.HmacMd5 => HMACMD5.HashData(key, data),
            SignMethod.HmacSha1 => HMACSHA1.HashData(key, data),
            SignMethod.HmacSha256 => HMACSHA256.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown sign method"),
        };
        return Convert.ToBase64String(mac);
    }

    /// <summary>Constant-time comparison of a received password with the expected one.</summary>
    public static bool Verify(SignMethod method, string accessKeySecret, string authId, string timestamp, string? securityToken, string password)
    {
        var expected = Encoding.UTF8.GetBytes(Compute(method, accessKeySecret, authId, timestamp, securityToken));
        var actual = Encoding.UTF8.GetBytes(password);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
