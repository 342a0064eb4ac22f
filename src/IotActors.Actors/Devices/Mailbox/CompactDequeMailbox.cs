using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace IotActors.Actors.Devices.Mailbox;

/// <summary>
/// Mailbox type of device actors under <c>WithDeviceRegion</c>: an unbounded deque (what a persistent actor's stashes
/// require) in <see cref="CompactDequeMessageQueue"/>s. Configured at <see cref="Id"/>.
/// </summary>
public sealed class CompactDequeMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<CompactDequeMessageQueue>
{
    /// <summary>The mailbox's configuration path, for <c>Props.WithMailbox</c>.</summary>
    public const string Id = "iotactors.device-mailbox";

    /// <summary>The HOCON that defines <see cref="Id"/>.</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString(
        $$"""{{Id}}.mailbox-type = "{{typeof(CompactDequeMailbox).FullName}}, {{typeof(CompactDequeMailbox).Assembly.GetName().Name}}" """);

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactDequeMessageQueue();
}
