namespace IotActors.Platform.Amqp;

/// <summary>
/// Why a receiver's connection ended. <see cref="Condition"/> is the AMQP error condition
/// (e.g. <c>amqp:connection:forced</c>); <see cref="SentByPeer"/> tells a real Close frame from the
/// client library's own stand-in for a lost socket, which carries the same condition.
/// </summary>
public sealed record ReceiverClosed(
    string? Condition,
    string? Description,
    bool SentByPeer,
    bool ClosedByUs,
    bool NoticedByWatchdog)
{
    public override string ToString() =>
        $"{Condition ?? "(no condition)"}{(Description is null ? "" : ": " + Description)}" +
        (SentByPeer ? " [sent by peer]" : "") + (ClosedByUs ? " [closed by us]" : "") + (NoticedByWatchdog ? " [watchdog]" : "");
}
