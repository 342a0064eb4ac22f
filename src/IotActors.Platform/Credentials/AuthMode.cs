namespace IotActors.Platform.Credentials;

/// <summary>How the consumer authenticates (spec §1.3).</summary>
public enum AuthMode
{
    /// <summary>An AccessKey pair of the account or of a RAM user with <c>iot:sub</c>.</summary>
    AkSign,

    /// <summary>An STS credential obtained through a RAM role; needs a security token.</summary>
    StsToken,
}

/// <summary>Wire names of <see cref="AuthMode"/> as they appear in the userName.</summary>
public static class AuthModes
{
    public static string ToWire(this AuthMode mode) => mode switch
    {
        AuthMode.AkSign => "aksign",
        AuthMode.StsToken => "ststoken",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown auth mode"),
    };

    public static bool TryParse(string? text, out AuthMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "aksign": mode = AuthMode.AkSign; return true;
            case "ststoken": mode = AuthMode.StsToken; return true;
            default: mode = default; return false;
        }
    }
}
