namespace IotActors.Emulator;

/// <summary>A snapshot of one consumer group's counters and queues (what <c>QueryConsumerGroupStatus</c> would show, and more).</summary>
/// <param name="ConsumerGroup">The consumer group ID.</param>
/// <param name="Published">Messages published to this group (a duplicate from the fault counts once).</param>
/// <param name="Delivered">Transfers handed to a link, first pushes and redeliveries alike.</param>
/// <param name="Redelivered">Transfers of a message that had been transferred before (same messageId).</param>
/// <param name="Accepted">Deliveries settled with <c>accepted</c>.</param>
/// <param name="NotAccepted">Deliveries the client settled with released, rejected or modified (requeued).</param>
/// <param name="AckTimeouts">Deliveries not settled within the ack timeout (requeued).</param>
/// <param name="ReturnedOnLinkClose">Deliveries still unsettled when their link or connection went away (requeued).</param>
/// <param name="LateDispositions">Dispositions for deliveries already given up on (after an ack timeout); ignored.</param>
/// <param name="Pending">Fresh messages waiting for link credit (plus one held back by the reorder fault, if any).</param>
/// <param name="InFlight">Transfers waiting for their disposition.</param>
/// <param name="Stacked">Messages in the accumulation queue (no client online, throttled, or not acknowledged).</param>
/// <param name="Expired">Queued messages dropped because they outlived the retention.</param>
/// <param name="DroppedOverCapacity">Queued messages dropped because the group's capacity was exceeded.</param>
/// <param name="Duplicated">Extra copies pushed by the duplicate fault.</param>
/// <param name="Reordered">Neighbour swaps made by the reorder fault.</param>
/// <param name="OnlineClients">Connections of this group that passed authentication and the Open checks.</param>
/// <param name="AttachedReceivers">Receiver links attached by this group's connections.</param>
/// <param name="ConnectAttempts">Logins naming this group, in total.</param>
/// <param name="ConnectAttemptsRefused">Attempts refused because the group's connect-attempt budget was used up.</param>
/// <param name="ClientsRefused">Connections refused because the group already had its maximum of clients.</param>
/// <param name="AuthenticationFailures">Logins naming this group that failed authentication.</param>
/// <param name="AcksLost">Accepted dispositions dropped by the lost-ack fault (each then times out and is redelivered).</param>
public sealed record EmulatorStats(
    string ConsumerGroup,
    long Published,
    long Delivered,
    long Redelivered,
    long Accepted,
    long NotAccepted,
    long AckTimeouts,
    long ReturnedOnLinkClose,
    long LateDispositions,
    int Pending,
    int InFlight,
    int Stacked,
    long Expired,
    long DroppedOverCapacity,
    long Duplicated,
    long Reordered,
    int OnlineClients,
    int AttachedReceivers,
    long ConnectAttempts,
    long ConnectAttemptsRefused,
    long ClientsRefused,
    long AuthenticationFailures,
    long AcksLost = 0);
