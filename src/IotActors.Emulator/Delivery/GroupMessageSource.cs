using Amqp.Framing;
using Amqp.Listener;
using Microsoft.Extensions.Logging;

namespace IotActors.Emulator.Delivery;

/// <summary>
/// The <see cref="IMessageSource"/> behind one client's receiver link. The listener calls
/// <see cref="GetMessageAsync"/> once per unit of link credit, one call at a time; the call waits until
/// the consumer group hands this link a message, or the link closes or drains. Returning null at once
/// would make the listener call again in a busy loop.
/// </summary>
internal sealed class GroupMessageSource(ConsumerGroup group, GroupClient client, ListenerLink link, ILogger logger) : IMessageSource
{
    private int _credit;

    public ConsumerGroup Group { get; } = group;

    public GroupClient Client { get; } = client;

    public ListenerLink Link { get; } = link;

    /// <summary>The outstanding GetMessageAsync call, if any. Guarded by the group's lock.</summary>
    internal TaskCompletionSource<ReceiveContext?>? Waiter { get; set; }

    /// <summary>Set once the link is gone; guarded by the group's lock.</summary>
    internal bool Closed { get; set; }

    /// <summary>Link credit as last tracked: flows add, transfers subtract.</summary>
    public int Credit => Volatile.Read(ref _credit);

    public Task<ReceiveContext?> GetMessageAsync(ListenerLink link) =>
        link.IsClosed ? Task.FromResult<ReceiveContext?>(null) : Group.NextMessageAsync(this, link.IsDraining);

    public void DisposeMessage(ReceiveContext receiveContext, DispositionContext dispositionContext)
    {
        // The listener stops sending on this link if this throws, so nothing may escape.
        try
        {
            var linkClosing = dispositionContext.Link.IsClosed || IsIllegalStateReject(dispositionContext.DeliveryState);
            if (receiveContext.UserToken is InFlightDelivery delivery)
            {
                Group.Settle(delivery, dispositionContext.DeliveryState, linkClosing);
            }

            // A client in rcv-settle-mode second leaves settling to us; echo its own outcome.
            if (!dispositionContext.Settled && !linkClosing)
            {
                dispositionContext.Link.DisposeMessage(dispositionContext.Message, dispositionContext.DeliveryState ?? new Released(), true);
            }
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Disposition on connection {ConnectionId} could not be processed", Client.ConnectionId);
        }
    }

    /// <summary>Mirrors the listener's own credit arithmetic: a flow that does not raise the limit resets credit to 0.</summary>
    internal void OnFlow(int delta)
    {
        if (delta <= 0) Interlocked.Exchange(ref _credit, 0);
        else Interlocked.Add(ref _credit, delta);
    }

    internal void OnTransfer()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _credit);
            if (current <= 0) return;
        }
        while (Interlocked.CompareExchange(ref _credit, current - 1, current) != current);
    }

    /// <summary>
    /// A ContainerHost link that is closing rejects the deliveries still queued for it with
    /// amqp:illegal-state; that means "not delivered", not a client's verdict.
    /// </summary>
    private static bool IsIllegalStateReject(DeliveryState? state) =>
        state is Rejected { Error: { } error } && error.Condition == Amqp.ErrorCode.IllegalState;
}
