using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace IotActors.Actors.Devices;

/// <summary>
/// The most recent messageIds a device has applied or parked, bounded to <see cref="Capacity"/>:
/// adding to a full window evicts the oldest.
/// </summary>
/// <remarks>
/// <para><b>Compact.</b> The window keeps a 64-bit hash of each messageId (XxHash3 of its UTF-16 text), not the text: a
/// ring of hashes in arrival order plus a hash set, about 28 bytes per remembered ID instead of the ~150 bytes of the
/// strings in immutable collections that came before (a full window of 1,000 IDs: ~28 KiB instead of ~149 KiB). Both
/// grow with use, so a device that saw a handful of messages pays for a handful. Two different IDs with the same hash
/// would make the second look like a redelivery: with 1,000 IDs remembered that is a chance of about 5·10⁻¹⁷ per
/// message — far below any hardware fault rate.</para>
/// <para><b>Mutable, owned by one device actor</b>: adding allocates nothing once the window is full (a busy device
/// otherwise churned a new tree per message, which showed up as garbage-collector time). A snapshot takes a
/// <see cref="Copy"/>, because the journal serializes it later on another thread.</para>
/// <para>To persist it, store <see cref="Capacity"/> and <see cref="Hashes"/> (oldest first) and rebuild with
/// <see cref="FromHashes"/>; windows stored as ID text by earlier versions are read with <see cref="From"/>.</para>
/// </remarks>
public sealed class DedupeWindow
{
    private const int FirstRingSize = 4;

    private HashSet<ulong>? _remembered; // created on the first ID: most resident devices are idle
    private ulong[] _ring = [];
    private int _oldest; // index of the oldest hash in _ring once the ring is full; 0 while it grows

    private DedupeWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _remembered?.Count ?? 0;

    /// <summary>The remembered messageIds' hashes (<see cref="HashOf"/>), oldest first.</summary>
    public IEnumerable<ulong> Hashes
    {
        get
        {
            var count = Count;
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

    public bool Contains(string messageId) => _remembered?.Contains(HashOf(messageId)) == true;

    /// <summary>Remembers <paramref name="messageId"/> as the newest entry, evicting the oldest when full; false (and no change) when it is already remembered.</summary>
    public bool Add(string messageId) => AddHash(HashOf(messageId));

    /// <summary>An independent window with the same capacity and entries (for a snapshot).</summary>
    public DedupeWindow Copy() => WithCapacity(Capacity);

    /// <summary>An independent window of <paramref name="capacity"/> with the newest entries of this one that fit (options may change between runs).</summary>
    public DedupeWindow WithCapacity(int capacity) => FromHashes(capacity, Hashes);

    private bool AddHash(ulong hash)
    {
        var remembered = _remembered ??= [];
        if (remembered.Count == Capacity)
        {
            // Full: the newest takes the oldest's slot. The oldest leaves the set first, so the set never grows past Capacity.
            if (remembered.Contains(hash)) return false;
            remembered.Remove(_ring[_oldest]);
            remembered.Add(hash);
            _ring[_oldest] = hash;
            _oldest = (_oldest + 1) % _ring.Length;
            return true;
        }
        if (!remembered.Add(hash)) return false;
        var count = remembered.Count - 1; // entries in the ring before this one
        if (count == _ring.Length)
        {
            // Grows in arrival order (not yet wrapped: _oldest is 0 until the ring reaches Capacity).
            Array.Resize(ref _ring, (int)Math.Min(Capacity, Math.Max(FirstRingSize, (long)_ring.Length * 2)));
        }
        _ring[count] = hash;
        // Full from now on: every add replaces one, so the set never grows again; drop the slack its doubling left.
        if (count + 1 == Capacity) remembered.TrimExcess();
        return true;
    }
}
