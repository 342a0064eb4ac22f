using IotActors.Emulator.Delivery;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class StackedQueueTests
{
    private static StoredMessage Stored(string id, TimeSpan publishedAt) =>
        new(EmulatorClient.Message(id), [], publishedAt);

    [Fact]
    public void Ready_messages_leave_in_order_and_delayed_ones_wait_without_blocking_them()
    {
        var queue = new StackedQueue();
        var now = TimeSpan.FromSeconds(1);
        queue.Add(Stored("retrying", now), now + TimeSpan.FromSeconds(60), now);
        queue.Add(Stored("a", now), now, now);
        queue.Add(Stored("b", now), now, now);

        Assert.True(queue.TryTake(now, out var first));
        Assert.True(queue.TryTake(now, out var second));
        Assert.False(queue.TryTake(now, out _));
        Assert.Equal(["a", "b"], new[] { first.Message.MessageId, second.Message.MessageId });
        Assert.Equal(now + TimeSpan.FromSeconds(60), queue.NextDelayedAt);

        Assert.True(queue.TryTake(now + TimeSpan.FromSeconds(60), out var due));
        Assert.Equal("retrying", due.Message.MessageId);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Expired_messages_are_removed_from_both_parts()
    {
        var queue = new StackedQueue();
        var retention = TimeSpan.FromHours(24);
        queue.Add(Stored("old-ready", TimeSpan.Zero), TimeSpan.Zero, TimeSpan.Zero);
        queue.Add(Stored("old-delayed", TimeSpan.Zero), TimeSpan.FromHours(30), TimeSpan.Zero);
        queue.Add(Stored("young", TimeSpan.FromHours(20)), TimeSpan.FromHours(20), TimeSpan.FromHours(20));

        Assert.Equal(2, queue.RemoveExpired(TimeSpan.FromHours(25), retention));
        Assert.Equal(1, queue.Count);
        Assert.True(queue.TryTake(TimeSpan.FromHours(25), out var left));
        Assert.Equal("young", left.Message.MessageId);
    }

    [Fact]
    public void Dropping_the_oldest_takes_the_head_of_the_line_first()
    {
        var queue = new StackedQueue();
        queue.Add(Stored("delayed", TimeSpan.Zero), TimeSpan.FromMinutes(1), TimeSpan.Zero);
        queue.Add(Stored("head", TimeSpan.Zero), TimeSpan.Zero, TimeSpan.Zero);

        Assert.True(queue.TryDropOldest());
        Assert.False(queue.HasReady(TimeSpan.Zero));
        Assert.True(queue.TryDropOldest());
        Assert.False(queue.TryDropOldest());
    }
}
