namespace IotActors.Platform.Credentials;

/// <summary>The HMAC used to sign the SASL password (spec §1.4).</summary>
public enum SignMethod
{
    HmacMd5,
    HmacSha1,
    HmacSha256,
}

/// <summary>Wire names of <see cref="SignMethod"/> as they appear in the userName.</summary>
public static class SignMethods
{
    public static string ToWire(this SignMethod method) => method switch
    {
        SignMethod.HmacMd5 => "hmacmd5",
        SignMethod.HmacSha1 => "hmacsha1",
        SignMethod.HmacSha256 => "hmacsha256",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown sign method"),
    };

    /// <summary>Case-insensitive, because the vendor's Go sample sends <c>Hmacsha1</c>.</summary>
    public static bool TryParse(string? text, out SignMethod method)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "hmacmd5": method = SignMethod.HmacMd5; return true;
            case "hmacsha1": method = SignMethod.HmacSha1; return true;
            case "hmacsha256": method = SignMethod.HmacSha256; return true;
            default: method = default; return false;
        }
    }
}
