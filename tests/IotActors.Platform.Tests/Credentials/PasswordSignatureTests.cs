using IotActors.Platform.Credentials;

namespace IotActors.Platform.Tests.Credentials;

/// <summary>
/// Vectors computed outside this code base with
/// <c>printf '%s' "$stringToSign" | openssl dgst -$alg -hmac "$secret" -binary | base64</c>.
/// </summary>
public class PasswordSignatureTests
{
    [Theory]
    [InlineData(SignMethod.HmacMd5, "y28fSaD+EK6F987TY4+Hrw==")]
    [InlineData(SignMethod.HmacSha1, "S+hTsb2/kzEN3iVy9FbHCiNctfE=")]
    [InlineData(SignMethod.HmacSha256, "kAPonChbJU4Xp/2RfpIR+ivCp67gqeJKSvE9ur8bxZo=")]
    public void Aksign_password_matches_openssl_vector(SignMethod method, string expected)
    {
        Assert.Equal(expected, PasswordSignature.Compute(method, "s3cr3t-Example", "LTAIEXAMPLE", "1700000000000", null));
    }

    [Theory]
    [InlineData(SignMethod.HmacMd5, "X5KkPR6rPMhguK7F5+OkFA==")]
    [InlineData(SignMethod.HmacSha1, "eHR9OVaaSeTzzpauAZIbJNj+Chw=")]
    [InlineData(SignMethod.HmacSha256, "/U7+RrVb80FmPPwci7QabWz2YoE4VXUIQbEcOq68+lQ=")]
    public void Ststoken_password_signs_the_token_between_authId_and_timestamp(SignMethod method, string expected)
    {
        // The secret is non-ASCII on purpose: the key is its UTF-8 bytes.
        Assert.Equal(expected, PasswordSignature.Compute(method, "stsSecretÄ", "STS.EXAMPLEKEY", "1700000000123", "CAIS+token/with=chars"));
    }

    [Fact]
    public void String_to_sign_sorts_keys_alphabetically()
    {
        Assert.Equal("authId=A&timestamp=1", PasswordSignature.StringToSign("A", "1", null));
        Assert.Equal("authId=A&securityToken=T&timestamp=1", PasswordSignature.StringToSign("A", "1", "T"));
    }

    [Fact]
    public void Verify_accepts_the_right_password_and_refuses_any_other()
    {
        var good = PasswordSignature.Compute(SignMethod.HmacSha1, "k", "id", "5", null);
        Assert.True(PasswordSignature.Verify(SignMethod.HmacSha1, "k", "id", "5", null, good));
        Assert.False(PasswordSignature.Verify(SignMethod.HmacSha1, "wrong", "id", "5", null, good));
        Assert.False(PasswordSignature.Verify(SignMethod.HmacSha256, "k", "id", "5", null, good));
        Assert.False(PasswordSignature.Verify(SignMethod.HmacSha1, "k", "id", "6", null, good));
        Assert.False(PasswordSignature.Verify(SignMethod.HmacSha1, "k", "id", "5", null, ""));
    }
}
