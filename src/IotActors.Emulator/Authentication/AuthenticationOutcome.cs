using IotActors.Platform.Credentials;

namespace IotActors.Emulator.Authentication;

/// <summary>
/// The verdict on one login. <see cref="NamedGroup"/> is the configured consumer group the userName
/// names, even when the login fails, so the attempt counts against that group's budget.
/// <see cref="FailureReason"/> is safe to log: it never contains a secret, password or token.
/// </summary>
internal sealed record AuthenticationOutcome(UserName? Login, string? NamedGroup, string? FailureReason)
{
    public bool Succeeded => FailureReason is null && Login is not null;

    public static AuthenticationOutcome Success(UserName login) => new(login, login.ConsumerGroupId, null);

    public static AuthenticationOutcome Failure(string reason, string? namedGroup = null, UserName? login = null) => new(login, namedGroup, reason);
}
