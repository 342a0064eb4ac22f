using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace IotActors.Actors.Twin;

/// <summary>
/// An immutable map of TSL identifier → newest entry, ordered by identifier (ordinal): the twin's properties and events.
/// Enumeration, <see cref="Keys"/> and <see cref="Values"/> follow that order; lookups are a binary search.
/// </summary>
/// <remarks>
/// Why not <c>ImmutableDictionary</c>: a property post updates dozens of identifiers at once, and the tree rebuilt a
/// node path per item (a 2 KB post, 45 items: ~5 KB and ~4 µs per message, over half of the twin's own work — BENCHMARKS.md,
/// round 14) and kept ~60 B of nodes per identifier in every twin. This map is one array of entries: an update of any
/// number of items makes one new array, and a twin keeps 24 B per property.
/// Equality is by reference, as for the immutable collections: an update that changes nothing returns the same map.
/// </remarks>
/// <typeparam name="TValue">The entry type (<see cref="TwinProperty"/>, <see cref="TwinEvent"/>).</typeparam>
public sealed class TwinMap<TValue> : IReadOnlyDictionary<string, TValue>
{
    private readonly KeyValuePair<string, TValue>[] _entries;

    private TwinMap(KeyValuePair<string, TValue>[] ordered, bool owned)
    {
        Debug.Assert(owned);
        _entries = ordered;
    }

    /// <summary>A map of <paramref name="entries"/>, as <see cref="Create"/>; for serializers that build a dictionary through
    /// its constructor (Newtonsoft.Json, which Akka uses for messages it has no other serializer for).</summary>
    public TwinMap(IEnumerable<KeyValuePair<string, TValue>> entries) => _entries = Create(entries)._entries;

    /// <summary>The map with no entries (one instance, shared by every empty twin).</summary>
    public static TwinMap<TValue> Empty { get; } = new([], owned: true);

    /// <summary>A map of <paramref name="entries"/>; of entries with the same identifier the last one counts.</summary>
    public static TwinMap<TValue> Create(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var given = entries.ToArray();
        foreach (var entry in given) ArgumentNullException.ThrowIfNull(entry.Key, nameof(entries));
        // Sorted by identifier and then by position, so the last of a repeated identifier is the one kept.
        var order = new int[given.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var byKey = string.CompareOrdinal(given[a].Key, given[b].Key);
            return byKey != 0 ? byKey : a.CompareTo(b);
        });
        var kept = new List<KeyValuePair<string, TValue>>(given.Length);
        for (var i = 0; i < order.Length; i++)
        {
            var last = i + 1 == order.Length || !string.Equals(given[order[i]].Key, given[order[i + 1]].Key, StringComparison.Ordinal);
            if (last) kept.Add(given[order[i]]);
        }
        return Own([.. kept]);
    }

    /// <summary>Entries already in ascending ordinal order without repeats (as written by a snapshot) are taken as they are.</summary>
    internal static TwinMap<TValue> FromOrdered(KeyValuePair<string, TValue>[] entries)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            if (string.CompareOrdinal(entries[i - 1].Key, entries[i].Key) >= 0) return Create(entries);
        }
        return Own(entries);
    }

    /// <summary>Takes ownership of <paramref name="entries"/>, which the caller has ordered and no longer touches.</summary>
    internal static TwinMap<TValue> Own(KeyValuePair<string, TValue>[] entries) => entries.Length == 0 ? Empty : new TwinMap<TValue>(entries, owned: true);

    internal ReadOnlySpan<KeyValuePair<string, TValue>> Entries => _entries;

    public int Count => _entries.Length;

    /// <exception cref="KeyNotFoundException">The map has no entry for <paramref name="key"/>.</exception>
    public TValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The twin has no entry '{key}'.");

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<TValue> Values => _entries.Select(e => e.Value);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = default;
            return false;
        }
        value = _entries[index].Value;
        return true;
    }

    /// <summary>A map with <paramref name="key"/> set to <paramref name="value"/> (added or replaced); this one is unchanged.</summary>
    public TwinMap<TValue> SetItem(string key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var update = new TwinMapUpdate<TValue>(this);
        update.Set(key, value);
        return update.ToMap();
    }

    /// <summary>The index of <paramref name="key"/>, or the bitwise complement of where it would go (as <see cref="Array.BinarySearch(Array, object)"/>).</summary>
    internal int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int low = 0, high = _entries.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            // CompareOrdinal answers at once for the same instance: identifiers are interned (TwinIdentifiers).
            var order = string.CompareOrdinal(_entries[middle].Key, key);
            if (order == 0) return middle;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }
        return ~low;
    }

    public Enumerator GetEnumerator() => new(_entries);

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator() => ((IEnumerable<KeyValuePair<string, TValue>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <summary>Enumerates the entries in identifier order without allocating.</summary>
    public struct Enumerator
    {
        private readonly KeyValuePair<string, TValue>[] _entries;
        private int _index;

        internal Enumerator(KeyValuePair<string, TValue>[] entries)
        {
            _entries = entries;
            _index = -1;
        }

        public readonly KeyValuePair<string, TValue> Current => _entries[_index];

        public bool MoveNext() => ++_index < _entries.Length;
    }
}
