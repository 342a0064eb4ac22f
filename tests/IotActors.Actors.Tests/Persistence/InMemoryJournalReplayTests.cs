using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Persistence;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Tests.Devices;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>
/// A recovery from the in-memory journal starts no actor inside the journal: Akka's replay filter (an actor per replay,
/// built by reflection, which the journal creates one after another) is off for a journal no second writer can reach.
/// Actors' starts are seen through Akka's lifecycle debug events.
/// </summary>
public class InMemoryJournalReplayTests
{
    private static readonly Config LifecycleLogging = ConfigurationFactory.ParseString(
        """
        akka.loglevel = DEBUG
        akka.stdout-loglevel = WARNING
        akka.actor.debug.lifecycle = on
        """);

    [Fact]
    public void Recovering_from_the_in_memory_journal_starts_no_actor_in_the_journal()
    {
        using var kit = new Kit(LifecycleLogging.WithFallback(TestDevices.Config));
        Assert.Empty(kit.ActorsStartedInTheJournalWhileRecovering());
    }

    [Fact]
    public void With_Akka_s_default_replay_filter_every_recovery_starts_an_actor_in_the_journal()
    {
        // The check above could pass by seeing nothing: here the same check sees the filter it is about.
        var filterOn = ConfigurationFactory.ParseString("akka.persistence.journal.inmem.replay-filter.mode = repair-by-discard-old");
        using var kit = new Kit(filterOn.WithFallback(LifecycleLogging).WithFallback(TestDevices.Config));
        Assert.NotEmpty(kit.ActorsStartedInTheJournalWhileRecovering());
    }

    private sealed class Kit(Config config) : TestKit(config)
    {
        /// <summary>Writes one event, then recovers it in a second incarnation; returns the journal's children started meanwhile.</summary>
        public IReadOnlyList<string> ActorsStartedInTheJournalWhileRecovering()
        {
            var journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null).Path.ToString();
            var first = Sys.ActorOf(Props.Create(() => new Counter("counter-1")));
            first.Tell("add", TestActor);
            ExpectMsg(1);
            Watch(first);
            Sys.Stop(first);
            ExpectTerminated(first);

            var starts = CreateTestProbe();
            Sys.EventStream.Subscribe(starts, typeof(Debug));
            var second = Sys.ActorOf(Props.Create(() => new Counter("counter-1")));
            second.Tell("get", TestActor);
            ExpectMsg(1); // recovered: every start in the journal for this replay was published before this reply

            // Drains what is already queued (published before the reply); waits only when the queue is empty.
            return starts.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m)
                .OfType<Debug>()
                .Where(d => d.LogSource.StartsWith(journal + "/", StringComparison.Ordinal) && d.Message?.ToString()?.StartsWith("Started", StringComparison.Ordinal) == true)
                .Select(d => d.LogSource)
                .ToList();
        }
    }

    private sealed class Counter(string persistenceId) : PersistentActor
    {
        private int _count;

        public override string PersistenceId { get; } = persistenceId;

        protected override bool ReceiveRecover(object message)
        {
            if (message is int) _count++;
            return true;
        }

        protected override bool ReceiveCommand(object message)
        {
            switch (message)
            {
                case "add":
                    Persist(1, _ =>
                    {
                        _count++;
                        Sender.Tell(_count);
                    });
                    return true;
                case "get":
                    Sender.Tell(_count);
                    return true;
                default:
                    return false;
            }
        }
    }
}
