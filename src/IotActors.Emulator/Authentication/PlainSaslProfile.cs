using System.Security.Principal;
using System.Text;
using Amqp;
using Amqp.Listener;
using Amqp.Sasl;
using Amqp.Types;
using IotActors.Emulator.Connections;

namespace IotActors.Emulator.Authentication;

/// <summary>
/// The listener's PLAIN mechanism. The listener keeps ONE instance for all connections, so nothing
/// about a connection lives here: the connection's <see cref="ConnectionRules"/> is found through the
/// async flow (<see cref="ConnectionRules.Current"/>, set by the handler factory for each accepted
/// socket), and the principal the listener reads afterwards comes from there as well.
/// </summary>
internal sealed class PlainSaslProfile(SaslVerifier verifier, TimeProvider time) : SaslProfile(new Symbol("PLAIN")), IAuthenticated
{
    public IPrincipal? Principal => ConnectionRules.Current.Value?.Principal;

    protected override DescribedList OnCommand(DescribedList command)
    {
        var rules = ConnectionRules.Current.Value;
        if (rules is null)
        {
            return Outcome(false);
        }
        if (command is not SaslInit init || !TryReadPlain(init.InitialResponse, out var userName, out var password))
        {
            return Outcome(rules.CompleteLogin(AuthenticationOutcome.Failure("SASL PLAIN initial response must be authzid NUL userName NUL password")));
        }
        return Outcome(rules.CompleteLogin(verifier.Verify(userName, password, time.GetUtcNow())));
    }

    protected override ITransport UpgradeTransport(ITransport transport) => transport;

    // Only a client starts a SASL exchange; the listener never asks a server-side profile for this.
    protected override DescribedList GetStartCommand(string hostname) =>
        throw new InvalidOperationException("The emulator's PLAIN profile is server-side only.");

    private static SaslOutcome Outcome(bool ok) => new() { Code = ok ? SaslCode.Ok : SaslCode.Auth };

    /// <summary>RFC 4616: <c>[authzid] NUL authcid NUL passwd</c>; the authzid is ignored.</summary>
    private static bool TryReadPlain(byte[]? response, out string userName, out string password)
    {
        userName = password = "";
        if (response is null) return false;
        var first = Array.IndexOf(response, (byte)0);
        if (first < 0) return false;
        var second = Array.IndexOf(response, (byte)0, first + 1);
        if (second < 0 || Array.IndexOf(response, (byte)0, second + 1) >= 0) return false;
        userName = Encoding.UTF8.GetString(response, first + 1, second - first - 1);
        password = Encoding.UTF8.GetString(response, second + 1, response.Length - second - 1);
        return true;
    }
}
