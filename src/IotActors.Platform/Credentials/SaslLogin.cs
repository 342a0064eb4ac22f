namespace IotActors.Platform.Credentials;

/// <summary>The SASL PLAIN user and password for one connection attempt. <see cref="ToString"/> masks the password.</summary>
public sealed record SaslLogin(UserName UserName, string Password)
{
    public override string ToString() => $"{UserName} / password=***";
}
