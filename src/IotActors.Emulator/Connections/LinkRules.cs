using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Microsoft.Extensions.Logging;

namespace IotActors.Emulator.Connections;

/// <summary>
/// Every attach goes through here (the emulator registers no message sources, which would bypass it):
/// one receiver link per connection, no sender links (spec §2.2).
/// </summary>
internal sealed class LinkRules(ILogger logger) : ILinkProcessor
{
    public void Process(AttachContext attachContext)
    {
        try
        {
            if (ConnectionRules.Of(attachContext.Link.Session.Connection) is not { } rules)
            {
                attachContext.Complete(new Error(ErrorCode.UnauthorizedAccess) { Description = "the connection is not authenticated" });
                return;
            }
            rules.AttachReceiver(attachContext);
        }
        catch (Exception exception)
        {
            // Runs on the connection's I/O loop: an escaping exception would take the connection down silently.
            logger.LogError(exception, "Attach of link {LinkName} failed", attachContext.Attach.LinkName);
            try
            {
                attachContext.Complete(new Error(ErrorCode.InternalError) { Description = "the emulator failed to attach the link" });
            }
            catch (Exception completeFailure)
            {
                logger.LogError(completeFailure, "Refusing link {LinkName} failed as well", attachContext.Attach.LinkName);
            }
        }
    }
}
