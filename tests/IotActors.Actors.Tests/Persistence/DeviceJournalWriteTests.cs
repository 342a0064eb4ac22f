using Akka.Actor;
using System.Collections.Immutable;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Devices;
using IotActors.Actors.Tests.Devices;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>The reply to the connection follows the journal write: never before it, never without it.</summary>
public class DeviceJournalWriteTests() : TestKit(JournalConfig)
{
    /// <summary>Akka.Persistence.TestKit's journal, whose writes the test can delay or fail.</summary>
    private static readonly Config JournalConfig = ConfigurationFactory.ParseString(
        """
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        # The test journal's internal messages (AsyncWriteJournal+Desequenced) do not survive Akka's Newtonsoft
        # fallback; what the device sends and persists is verified by the serializer tests and the other suites.
        akka.actor.serialize-messages = off
        """).WithFallback(TestDevices.SerializingConfig);

    private ITestJournal Journal => TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));

    [Fact]
    public async Task Processed_is_sent_only_after_the_journal_write_completed()
    {
        // The write itself records when it is done, so the check compares order, not two clocks (a timer may fire a
        // fraction of a millisecond before a stopwatch says the delay has passed).
        var write = new SlowWrite(TimeSpan.FromMilliseconds(300));
        await Journal.OnWrite.SetInterceptorAsync(write);
        var device = Sys.ActorOf(DeviceActor<ImmutableList<string>>.Props(TestDevices.Device, new RecordingBehavior(), new DeviceOptions()));

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        Assert.True(write.Finished, "Processed arrived while the journal write was still in progress");
    }

    /// <summary>A journal write that takes a while and then marks itself finished.</summary>
    private sealed class SlowWrite(TimeSpan duration) : IJournalInterceptor
    {
        private volatile bool _finished;

        public bool Finished => _finished;

        public async Task InterceptAsync(IPersistentRepresentation message)
        {
            await Task.Delay(duration);
            _finished = true;
        }
    }

    [Fact]
    public async Task Failed_journal_write_releases_the_delivery_and_a_new_incarnation_applies_the_redelivery()
    {
        await Journal.OnWrite.Fail();
        var props = DeviceActor<ImmutableList<string>>.Props(TestDevices.Device, new RecordingBehavior(), new DeviceOptions());
        var device = Sys.ActorOf(props);
        Watch(device);

        device.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 1));
        var failed = ExpectMsg<ProcessingFailed>();
        Assert.Contains("journal write failed", failed.Reason, StringComparison.Ordinal);
        ExpectTerminated(device);

        await Journal.OnWrite.Pass();
        var next = Sys.ActorOf(props);
        next.Tell(TestDevices.Envelope(TestDevices.Device, "m1", 2));
        ExpectMsg<Processed>(p => p.Outcome == ProcessOutcome.Applied);
        next.Tell(new GetDeviceState(TestDevices.Device));
        var reply = ExpectMsg<DeviceStateReply>();
        Assert.Equal(["m1"], Assert.IsType<ImmutableList<string>>(reply.State));
        Assert.Equal(1, reply.MessagesApplied);
    }
}
