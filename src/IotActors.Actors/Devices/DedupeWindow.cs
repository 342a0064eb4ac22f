using System.Collections.Immutable;

namespace IotActors.Actors.Devices;

/// <summary>
/// The most recent messageIds a device has applied or parked, bounded to <see cref="Capacity"/>:
/// adding to a full window evicts the oldest. Immutable, so a state snapshot can share it.
/// </summary>
/// <remarks>
/// To persist it, store <see cref="Capacity"/> and <see cref="Ids"/> (oldest first) and rebuild with
/// <see cref="From"/>.
/// </remarks>
public sealed class DedupeWindow
{
    private readonly ImmutableQueue<string> _order;
    private readonly ImmutableHashSet<string> _ids;

    private DedupeWindow(int capacity, ImmutableQueue<string> order, ImmutableHashSet<string> ids)
    {
        Capacity = capacity;
        _order = order;
        _ids = ids;
    }

    public int Capacity { get; }

    public int Count => _ids.Count;

    /// <summary>The remembered messageIds, oldest first.</summary>
    public IEnumerable<string> Ids => _order;

    public static DedupeWindow Empty(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new DedupeWindow(capacity, ImmutableQueue<string>.Empty, ImmutableHashSet.Create<string>(StringComparer.Ordinal));
    }

    /// <summary>A window holding <paramref name="idsOldestFirst"/>; when they exceed the capacity only the newest are kept.</summary>
    public static DedupeWindow From(int capacity, IEnumerable<string> idsOldestFirst)
    {
        var window = Empty(capacity);
        foreach (var id in idsOldestFirst) window = window.Add(id);
        return window;
    }

    public bool Contains(string messageId) => _ids.Contains(messageId);

    /// <summary>This window with <paramref name="messageId"/> as the newest entry; unchanged when it is already remembered.</summary>
    public DedupeWindow Add(string messageId)
    {
        if (_ids.Contains(messageId)) return this;

        var order = _order;
        var ids = _ids;
        if (ids.Count == Capacity)
        {
            order = order.Dequeue(out var oldest);
            ids = ids.Remove(oldest);
        }
        return new DedupeWindow(Capacity, order.Enqueue(messageId), ids.Add(messageId));
    }
}
