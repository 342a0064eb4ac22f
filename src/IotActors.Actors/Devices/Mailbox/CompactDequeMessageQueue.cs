using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace IotActors.Actors.Devices.Mailbox;

/// <summary>
/// The message queue of a device actor: a ring buffer under a lock, with prepend for the stashes of a persistent actor.
/// Akka's unbounded deque mailbox allocates a <c>ConcurrentQueue</c> segment of 32 slots, a stack and two wrappers,
/// about 1 KB for every actor alive; a device is idle most of its life, so here an empty queue holds at most 16 slots
/// and a drained burst gives its larger buffer back.
/// </summary>
/// <remarks>
/// Many producers, one consumer (the actor's mailbox run), as Akka's mailbox uses every queue. A lock rather than a
/// lock-free queue: a device receives a message at a time from its shard, so the lock is almost never contended. The lock
/// is the queue itself rather than an object of its own (24 B in every resident device): only Akka's mailbox holds it.
/// <see cref="HasMessages"/> and <see cref="Count"/> read the count without the lock (volatile): the mailbox reads them
/// only after a full fence of its own (scheduling status changes are interlocked), as with Akka's queues.
/// </remarks>
public sealed class CompactDequeMessageQueue : IMessageQueue, IUnboundedDequeBasedMessageQueueSemantics
{
    /// <summary>
    /// Slots of the first buffer: one, since a device mostly gets a message at a time (a state query is what
    /// incarnates an idle one); it doubles as a burst needs. An empty queue keeps up to <see cref="KeptCapacity"/>.
    /// </summary>
    internal const int InitialCapacity = 1;
    internal const int KeptCapacity = 16;

    private Envelope[]? _items;
    private int _head;
    private int _count;

    public bool HasMessages => Volatile.Read(ref _count) > 0;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Slots held now (for tests and measurement).</summary>
    internal int Capacity
    {
        get
        {
            lock (this) return _items?.Length ?? 0;
        }
    }

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (this)
        {
            var items = EnsureRoom();
            items[(_head + _count) % items.Length] = envelope;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    public void EnqueueFirst(Envelope envelope)
    {
        lock (this)
        {
            var items = EnsureRoom();
            _head = (_head - 1 + items.Length) % items.Length;
            items[_head] = envelope;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        lock (this)
        {
            if (_count == 0)
            {
                envelope = default;
                return false;
            }
            var items = _items!;
            envelope = items[_head];
            items[_head] = default; // do not keep the message alive
            _head = (_head + 1) % items.Length;
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                _head = 0;
                if (items.Length > KeptCapacity) _items = null; // a drained burst: back to nothing until the next message
            }
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }

    private Envelope[] EnsureRoom()
    {
        var items = _items;
        if (items is null) return _items = new Envelope[InitialCapacity];
        if (_count < items.Length) return items;

        var grown = new Envelope[items.Length * 2];
        for (var i = 0; i < _count; i++) grown[i] = items[(_head + i) % items.Length];
        _head = 0;
        return _items = grown;
    }
}
