using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace IotActors.Emulator.Delivery;

/// <summary>
/// The listener's <see cref="SourceLinkEndpoint"/> plus what it does not do: track credit, end a waiting
/// GetMessageAsync when the client drains (the library ignores flows while a call is outstanding),
/// and tell the group when the link is gone.
/// </summary>
internal sealed class GroupLinkEndpoint(GroupMessageSource source) : LinkEndpoint
{
    private readonly SourceLinkEndpoint _inner = new(source, source.Link);

    public override void OnFlow(FlowContext flowContext)
    {
        source.OnFlow(flowContext.Messages);
        _inner.OnFlow(flowContext);
        if (flowContext.Link.IsDraining)
        {
            source.Group.CancelWait(source);
        }
    }

    public override void OnDisposition(DispositionContext dispositionContext) => _inner.OnDisposition(dispositionContext);

    public override void OnLinkClosed(ListenerLink link, Error error)
    {
        _inner.OnLinkClosed(link, error);
        source.Group.RemoveReceiver(source);
    }
}
