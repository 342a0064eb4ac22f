namespace IotActors.Emulator;

/// <summary>
/// An STS credential the emulated platform accepts with <c>authMode=ststoken</c>: the login must name
/// <paramref name="AccessKeyId"/> as <c>authId</c>, carry exactly <paramref name="SecurityToken"/> and be
/// signed with <paramref name="AccessKeySecret"/>. <see cref="ToString"/> never shows the secret or the token.
/// </summary>
public sealed record StsCredential(string AccessKeyId, string AccessKeySecret, string SecurityToken)
{
    public override string ToString() => $"StsCredential {{ AccessKeyId = {AccessKeyId}, AccessKeySecret = ***, SecurityToken = *** }}";
}
