using System.Text;

namespace IotActors.Platform.Credentials;

/// <summary>
/// The SASL PLAIN userName of spec §1.3:
/// <c>clientId|authMode=…,signMethod=…,timestamp=…,authId=…,consumerGroupId=…[,iotInstanceId=…][,securityToken=…]|</c>.
/// </summary>
/// <remarks>
/// <see cref="Build"/> writes it; <see cref="TryParse"/> reads it the way the platform does
/// (split on the first and last <c>|</c>, pairs on <c>,</c>, each pair on the first <c>=</c> only,
/// unknown keys ignored, empty values treated as absent). <see cref="ToString"/> masks the token.
/// </remarks>
public sealed record UserName(
    string ClientId,
    AuthMode AuthMode,
    SignMethod SignMethod,
    string Timestamp,
    string AuthId,
    string ConsumerGroupId,
    string? IotInstanceId = null,
    string? SecurityToken = null)
{
    /// <summary>Longest client ID the platform accepts.</summary>
    public const int MaxClientIdLength = 64;

    /// <summary>Characters that would break the userName grammar.</summary>
    public static readonly char[] ForbiddenClientIdChars = ['|', ',', '='];

    public string Build()
    {
        var sb = new StringBuilder(256);
        sb.Append(ClientId).Append('|');
        sb.Append("authMode=").Append(AuthMode.ToWire());
        sb.Append(",signMethod=").Append(SignMethod.ToWire());
        sb.Append(",timestamp=").Append(Timestamp);
        sb.Append(",authId=").Append(AuthId);
        if (!string.IsNullOrEmpty(IotInstanceId))
        {
            sb.Append(",iotInstanceId=").Append(IotInstanceId);
        }
        sb.Append(",consumerGroupId=").Append(ConsumerGroupId);
        if (!string.IsNullOrEmpty(SecurityToken))
        {
            sb.Append(",securityToken=").Append(SecurityToken);
        }
        sb.Append('|');
        return sb.ToString();
    }

    /// <summary>Parses a userName; on failure <paramref name="reason"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out UserName? userName, out string reason)
    {
        userName = null;
        if (!TryParseParameters(text, out var clientId, out var parameters, out reason))
        {
            return false;
        }

        string? Get(string key) => parameters.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        var authModeText = Get("authMode");
        if (authModeText is null) { reason = "userName lacks authMode"; return false; }
        if (!AuthModes.TryParse(authModeText, out var authMode)) { reason = $"unknown authMode '{authModeText}' (expected aksign or ststoken)"; return false; }

        var signText = Get("signMethod");
        if (signText is null) { reason = "userName lacks signMethod"; return false; }
        if (!SignMethods.TryParse(signText, out var signMethod)) { reason = $"unknown signMethod '{signText}' (expected hmacmd5, hmacsha1 or hmacsha256)"; return false; }

        var timestamp = Get("timestamp");
        if (timestamp is null) { reason = "userName lacks timestamp"; return false; }
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            reason = "timestamp is not a decimal number of milliseconds"; return false;
        }

        var authId = Get("authId");
        if (authId is null) { reason = "userName lacks authId"; return false; }
        var group = Get("consumerGroupId");
        if (group is null) { reason = "userName lacks consumerGroupId"; return false; }

        var token = Get("securityToken");
        if (authMode == AuthMode.StsToken && token is null) { reason = "authMode ststoken needs a securityToken"; return false; }

        userName = new UserName(clientId, authMode, signMethod, timestamp, authId, group, Get("iotInstanceId"), token);
        reason = "";
        return true;
    }

    /// <summary>The grammar alone: client ID and raw key/value pairs, no key checked.</summary>
    public static bool TryParseParameters(string? text, out string clientId, out IReadOnlyDictionary<string, string> parameters, out string reason)
    {
        clientId = "";
        parameters = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(text)) { reason = "userName is empty"; return false; }

        var first = text.IndexOf('|');
        var last = text.LastIndexOf('|');
        if (first < 0 || last == first) { reason = "userName must look like clientId|key=value,...|"; return false; }

        clientId = text[..first];
        if (clientId.Length == 0) { reason = "clientId is empty"; return false; }
        if (clientId.Length > MaxClientIdLength) { reason = $"clientId is {clientId.Length} characters (at most {MaxClientIdLength})"; return false; }

        var dict = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text[(first + 1)..last].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) { reason = $"parameter '{Mask(pair)}' is not key=value"; return false; }
            dict[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        parameters = dict;
        reason = "";
        return true;
    }

    private static string Mask(string s) => s.Length <= 16 ? s : s[..16] + "…";

    /// <summary>The userName with any security token masked: safe to log.</summary>
    public override string ToString() =>
        (this with { SecurityToken = SecurityToken is null ? null : "***" }).Build();
}
