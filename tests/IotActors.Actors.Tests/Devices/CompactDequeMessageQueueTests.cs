using System.Collections.Immutable;
using Akka.Actor;
using Akka.Dispatch;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Actors.Devices.Mailbox;

namespace IotActors.Actors.Tests.Devices;

public class CompactDequeMessageQueueTests() : TestKit(TestDevices.Config.WithFallback(CompactDequeMailbox.Hocon))
{
    [Fact]
    public void Messages_come_out_in_order_with_prepended_ones_first_across_growth_and_wrap_around()
    {
        var queue = new CompactDequeMessageQueue();
        var expected = new List<int>();
        var next = 0;
        // Interleave enqueues and dequeues so the ring wraps, and prepend as a stash's unstash does.
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < round % 7 + 1; i++)
            {
                queue.Enqueue(TestActor, Envelope(next));
                expected.Add(next++);
            }
            if (round % 5 == 0)
            {
                queue.EnqueueFirst(Envelope(-round));
                expected.Insert(0, -round);
            }
            for (var i = 0; i < round % 3 + 1 && expected.Count > 0; i++)
            {
                Assert.True(queue.TryDequeue(out var e));
                Assert.Equal(expected[0], (int)e.Message);
                expected.RemoveAt(0);
            }
            Assert.Equal(expected.Count, queue.Count);
            Assert.Equal(expected.Count > 0, queue.HasMessages);
        }
        while (expected.Count > 0)
        {
            Assert.True(queue.TryDequeue(out var e));
            Assert.Equal(expected[0], (int)e.Message);
            expected.RemoveAt(0);
        }
        Assert.False(queue.TryDequeue(out _));
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void An_idle_queue_keeps_a_small_buffer_and_gives_a_burst_buffer_back()
    {
        var queue = new CompactDequeMessageQueue();
        Assert.Equal(0, queue.Capacity);

        queue.Enqueue(TestActor, Envelope(1));
        Assert.True(queue.TryDequeue(out _));
        Assert.Equal(CompactDequeMessageQueue.InitialCapacity, queue.Capacity);

        for (var i = 0; i < 1000; i++) queue.Enqueue(TestActor, Envelope(i));
        Assert.True(queue.Capacity >= 1000);
        for (var i = 0; i < 1000; i++) Assert.True(queue.TryDequeue(out _));
        Assert.Equal(0, queue.Capacity);
    }

    [Fact]
    public async Task Concurrent_producers_lose_nothing_and_keep_each_producers_order()
    {
        const int producers = 4;
        const int perProducer = 20_000;
        var queue = new CompactDequeMessageQueue();
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < perProducer; i++) queue.Enqueue(TestActor, new Envelope((p, i), TestActor));
        })).ToArray();

        var last = Enumerable.Repeat(-1, producers).ToArray();
        var received = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (received < producers * perProducer && DateTime.UtcNow < deadline)
        {
            if (!queue.TryDequeue(out var e))
            {
                Thread.Yield();
                continue;
            }
            var (p, i) = ((int, int))e.Message;
            Assert.Equal(last[p] + 1, i);
            last[p] = i;
            received++;
        }
        await Task.WhenAll(tasks);
        Assert.Equal(producers * perProducer, received);
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void Clean_up_hands_what_is_left_to_dead_letters()
    {
        var queue = new CompactDequeMessageQueue();
        for (var i = 0; i < 3; i++) queue.Enqueue(TestActor, Envelope(i));
        var deadLetters = new CompactDequeMessageQueue();

        queue.CleanUp(TestActor, deadLetters);

        Assert.Equal(0, queue.Count);
        Assert.Equal(3, deadLetters.Count);
    }

    [Fact]
    public void Device_actors_of_a_registration_run_in_the_compact_mailbox_and_keep_order_through_retries()
    {
        var probe = CreateTestProbe();
        var registration = DeviceBehaviorRegistration
            .For(() => new RecordingBehavior(probe), new DeviceOptions { RetryBackoff = TimeSpan.FromMilliseconds(10) })
            .WithMailbox(CompactDequeMailbox.Id);
        var router = Sys.ActorOf(DeviceRouter.Props(registration));

        // m2 fails twice: the device stashes m3..m20 meanwhile (a stash unstashes with EnqueueFirst) and applies them after.
        for (var i = 1; i <= 20; i++)
            router.Tell(TestDevices.Envelope(TestDevices.Device, $"m{i}", i, body: i == 2 ? "fail:2" : "ok"));
        var replies = ReceiveN(20, TimeSpan.FromSeconds(20)).Cast<Processed>().ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), replies.Select(r => r.Delivery.Sequence));

        router.Tell(new GetDeviceState(TestDevices.Device));
        var reply = ExpectMsg<DeviceStateReply>();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"m{i}"), Assert.IsType<ImmutableList<string>>(reply.State));
        var device = Assert.IsAssignableFrom<ActorRefWithCell>(LastSender);
        Assert.IsType<CompactDequeMessageQueue>(Assert.IsType<ActorCell>(device.Underlying).Mailbox!.MessageQueue);
    }

    private Envelope Envelope(int value) => new(value, TestActor);
}
