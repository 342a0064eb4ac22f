namespace IotActors.Emulator.Delivery;

/// <summary>
/// The accumulation queue of one consumer group (spec §3.3): messages no client could take, or that
/// were not acknowledged. Messages that may go now wait in FIFO order; messages serving a retry delay
/// wait by due time and join the FIFO when due. A message that keeps failing therefore waits on its
/// own instead of blocking the messages behind it. Not thread-safe: callers hold their group's lock.
/// </summary>
internal sealed class StackedQueue
{
    private readonly Queue<StoredMessage> _ready = new();
    private readonly PriorityQueue<StoredMessage, TimeSpan> _delayed = new();

    public int Count => _ready.Count + _delayed.Count;

    /// <summary>When the earliest delayed message becomes due, if any waits.</summary>
    public TimeSpan? NextDelayedAt => _delayed.TryPeek(out _, out var at) ? at : null;

    public void Add(StoredMessage message, TimeSpan dueAt, TimeSpan now)
    {
        if (dueAt <= now) _ready.Enqueue(message);
        else _delayed.Enqueue(message, dueAt);
    }

    public bool HasReady(TimeSpan now)
    {
        Promote(now);
        return _ready.Count > 0;
    }

    public bool TryTake(TimeSpan now, out StoredMessage message)
    {
        Promote(now);
        return _ready.TryDequeue(out message!);
    }

    /// <summary>Drops the message that has waited longest in line (the FIFO head, else the next due).</summary>
    public bool TryDropOldest()
    {
        if (_ready.TryDequeue(out _)) return true;
        return _delayed.TryDequeue(out _, out _);
    }

    /// <summary>Removes messages past the retention; returns how many.</summary>
    public int RemoveExpired(TimeSpan now, TimeSpan retention)
    {
        var removed = 0;
        var count = _ready.Count;
        for (var i = 0; i < count; i++)
        {
            var message = _ready.Dequeue();
            if (message.IsExpired(now, retention)) removed++;
            else _ready.Enqueue(message);
        }

        if (_delayed.UnorderedItems.Any(item => item.Element.IsExpired(now, retention)))
        {
            var keep = _delayed.UnorderedItems.Where(item => !item.Element.IsExpired(now, retention)).ToList();
            removed += _delayed.Count - keep.Count;
            _delayed.Clear();
            _delayed.EnqueueRange(keep);
        }
        return removed;
    }

    private void Promote(TimeSpan now)
    {
        while (_delayed.TryPeek(out var message, out var dueAt) && dueAt <= now)
        {
            _delayed.Dequeue();
            _ready.Enqueue(message);
        }
    }
}
