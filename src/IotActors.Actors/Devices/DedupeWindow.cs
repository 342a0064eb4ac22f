using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace IotActors.Actors.Devices;

/// <summary>
/// The most recent messageIds a device has applied or parked, bounded to <see cref="Capacity"/>:
/// adding to a full window evicts the oldest.
/// </summary>
/// <remarks>
/// <para><b>Compact.</b> The window keeps a 64-bit hash of each messageId (XxHash3 of its UTF-16 text), not the text: a
/// ring of hashes in arrival order and, to find one, an open-addressing table of their positions in the ring, about
/// 16 bytes per remembered ID (a full window of 1,000 IDs: ~16 KiB). Before round 20 a <c>HashSet</c> beside the ring
/// took ~30 bytes per ID, and before round 2 the strings in immutable collections ~150. Both arrays grow with use, so a
/// device that saw a handful of messages pays for a handful. Two different IDs with the same hash would make the second
/// look like a redelivery: with 1,000 IDs remembered that is a chance of about 5·10⁻¹⁷ per message — far below any
/// hardware fault rate.</para>
/// <para><b>The table</b> is a power of two at least twice the ring's length (at most half full), probed linearly from
/// the hash's low bits (XxHash3's bits are uniform); an evicted entry is removed by shifting back the entries after it,
/// so the table never fills with tombstones however often the ring wraps.</para>
/// <para><b>Mutable, owned by one device actor</b>: adding allocates nothing once the window is full (a busy device
/// otherwise churned a new tree per message, which showed up as garbage-collector time). A snapshot takes a
/// <see cref="Copy"/>, because the journal serializes it later on another thread.</para>
/// <para>To persist it, store <see cref="Capacity"/> and <see cref="Hashes"/> (oldest first) and rebuild with
/// <see cref="FromHashes"/>; windows stored as ID text by earlier versions are read with <see cref="From"/>.</para>
/// </remarks>
public sealed class DedupeWindow
{
    private const int FirstRingSize = 4;

    private ulong[] _ring = []; // hashes in arrival order; grows up to Capacity, then wraps
    private int[] _slots = [];  // open addressing: 1 + a position in _ring, 0 = free; a power of two ≥ 2 × _ring.Length
    private int _count;
    private int _oldest; // index of the oldest hash in _ring once the ring is full; 0 while it grows

    private DedupeWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _count;

    /// <summary>The remembered messageIds' hashes (<see cref="HashOf"/>), oldest first.</summary>
    public IEnumerable<ulong> Hashes
    {
        get
        {
            var count = _count;
            for (var i = 0; i < count; i++) yield return _ring[(_oldest + i) % _ring.Length];
        }
    }

    public static DedupeWindow Empty(int capacity) => new(capacity);

    /// <summary>A window holding <paramref name="idsOldestFirst"/>; when they exceed the capacity only the newest are kept.</summary>
    public static DedupeWindow From(int capacity, IEnumerable<string> idsOldestFirst)
    {
        ArgumentNullException.ThrowIfNull(idsOldestFirst);
        return FromHashes(capacity, idsOldestFirst.Select(HashOf));
    }

    /// <summary>A window holding <paramref name="hashesOldestFirst"/> (as <see cref="Hashes"/> gave them); only the newest that fit are kept.</summary>
    public static DedupeWindow FromHashes(int capacity, IEnumerable<ulong> hashesOldestFirst)
    {
        ArgumentNullException.ThrowIfNull(hashesOldestFirst);
        var window = new DedupeWindow(capacity);
        foreach (var hash in hashesOldestFirst) window.AddHash(hash);
        return window;
    }

    /// <summary>The hash the window keeps for <paramref name="messageId"/>: XxHash3 (64-bit, seed 0) of its UTF-16 code units. Stable across processes and versions: it is persisted.</summary>
    public static ulong HashOf(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(messageId.AsSpan()));
    }

    public bool Contains(string messageId) => ContainsHash(HashOf(messageId));

    /// <summary>Whether <paramref name="hash"/> (<see cref="HashOf"/>) is remembered.</summary>
    internal bool ContainsHash(ulong hash) => _count > 0 && SlotOf(hash) >= 0;

    /// <summary>Remembers <paramref name="messageId"/> as the newest entry, evicting the oldest when full; false (and no change) when it is already remembered.</summary>
    public bool Add(string messageId) => AddHash(HashOf(messageId));

    /// <summary>An independent window with the same capacity and entries (for a snapshot): the arrays cloned, nothing rehashed.</summary>
    public DedupeWindow Copy() => new(Capacity)
    {
        _ring = (ulong[])_ring.Clone(),
        _slots = (int[])_slots.Clone(),
        _count = _count,
        _oldest = _oldest,
    };

    /// <summary>An independent window of <paramref name="capacity"/> with the newest entries of this one that fit (options may change between runs).</summary>
    public DedupeWindow WithCapacity(int capacity) => capacity == Capacity ? Copy() : FromHashes(capacity, Hashes.Skip(Math.Max(0, _count - capacity)));

    /// <summary>As <see cref="Add"/>, for a hash (<see cref="HashOf"/>).</summary>
    internal bool AddHash(ulong hash)
    {
        if (ContainsHash(hash)) return false;
        if (_count == Capacity)
        {
            // Full: the newest takes the oldest's place in the ring, and the oldest leaves the table first.
            Remove(SlotOf(_ring[_oldest]));
            _ring[_oldest] = hash;
            Insert(hash, _oldest);
            _oldest = (_oldest + 1) % _ring.Length;
            return true;
        }
        if (_count == _ring.Length) Grow();
        _ring[_count] = hash;
        Insert(hash, _count);
        _count++;
        return true;
    }

    /// <summary>A larger ring (not yet wrapped: entries are at 0…count−1) and a table rebuilt for it.</summary>
    private void Grow()
    {
        Array.Resize(ref _ring, (int)Math.Min(Capacity, Math.Max(FirstRingSize, (long)_ring.Length * 2)));
        _slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)_ring.Length * 2)];
        for (var i = 0; i < _count; i++) Insert(_ring[i], i);
    }

    /// <summary>The table slot holding <paramref name="hash"/>, or −1.</summary>
    private int SlotOf(ulong hash)
    {
        var mask = _slots.Length - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0) return -1;
            if (_ring[entry - 1] == hash) return slot;
        }
    }

    private void Insert(ulong hash, int position)
    {
        var mask = _slots.Length - 1;
        var slot = (int)hash & mask;
        while (_slots[slot] != 0) slot = (slot + 1) & mask;
        _slots[slot] = position + 1;
    }

    /// <summary>
    /// Empties <paramref name="slot"/> and moves back the entries after it that could not live in their home slot while
    /// it was taken, so every entry stays reachable from its home slot without passing a free one.
    /// </summary>
    private void Remove(int slot)
    {
        var mask = _slots.Length - 1;
        var free = slot;
        for (var next = (free + 1) & mask; _slots[next] != 0; next = (next + 1) & mask)
        {
            var home = (int)_ring[_slots[next] - 1] & mask;
            // The entry stays when its home lies cyclically in (free, next]: the free slot is not on its probe path.
            var stays = free <= next ? free < home && home <= next : free < home || home <= next;
            if (stays) continue;
            _slots[free] = _slots[next];
            free = next;
        }
        _slots[free] = 0;
    }
}
