namespace IotActors.Actors.Twin;

/// <summary>
/// The changes one message makes to a <see cref="TwinMap{TValue}"/>, made into one new map by <see cref="ToMap"/>:
/// an array copied at the first replacement, plus the identifiers the map did not have. Nothing is allocated for a
/// message that changes nothing, and <see cref="ToMap"/> then returns the map itself.
/// </summary>
/// <remarks>
/// A slot from <see cref="Find"/> stands for an entry of the map (below <see cref="TwinMap{TValue}.Count"/>) or one
/// added by this update (above). Lookups first try the entry after the one found last: a device's posts list the same
/// identifiers in the same order, so most items are found without a search. An identifier the map does not have is
/// looked for among this update's additions one by one (only the first posts of a device add identifiers), unless the
/// caller knows the message names each identifier once.
/// </remarks>
internal struct TwinMapUpdate<TValue>(TwinMap<TValue> map)
{
    private KeyValuePair<string, TValue>[]? _changed;
    private KeyValuePair<string, TValue>[]? _added;
    private int _addedCount;
    private int _next;

    /// <summary>The slot of <paramref name="key"/>, or -1 when neither the map nor this update has it.</summary>
    /// <param name="key">The identifier.</param>
    /// <param name="amongAdded">False when the caller knows no identifier comes twice in this update: what the map does not
    /// have is then not looked for among the additions.</param>
    public int Find(string key, bool amongAdded = true)
    {
        var entries = map.Entries;
        if ((uint)_next < (uint)entries.Length && ReferenceEquals(entries[_next].Key, key)) return _next++;
        var index = map.IndexOf(key);
        if (index >= 0)
        {
            _next = index + 1;
            return index;
        }
        if (!amongAdded) return -1;
        for (var i = 0; i < _addedCount; i++)
        {
            if (string.Equals(_added![i].Key, key, StringComparison.Ordinal)) return entries.Length + i;
        }
        return -1;
    }

    /// <summary>The value in <paramref name="slot"/> as this update leaves it so far.</summary>
    public readonly TValue ValueAt(int slot)
    {
        var count = map.Count;
        if (slot >= count) return _added![slot - count].Value;
        return _changed is null ? map.Entries[slot].Value : _changed[slot].Value;
    }

    /// <summary>Replaces the value in <paramref name="slot"/> (from <see cref="Find"/>).</summary>
    public void Replace(int slot, TValue value)
    {
        var count = map.Count;
        if (slot >= count)
        {
            ref var added = ref _added![slot - count];
            added = new(added.Key, value);
            return;
        }
        _changed ??= map.Entries.ToArray();
        _changed[slot] = new(_changed[slot].Key, value);
    }

    /// <summary>Adds <paramref name="key"/>, which <see cref="Find"/> did not find.</summary>
    public void Add(string key, TValue value)
    {
        if (_added is null) _added = new KeyValuePair<string, TValue>[4];
        else if (_addedCount == _added.Length) Array.Resize(ref _added, _addedCount * 2);
        _added[_addedCount++] = new(key, value);
    }

    /// <summary>Adds or replaces <paramref name="key"/>'s value.</summary>
    public void Set(string key, TValue value)
    {
        var slot = Find(key);
        if (slot >= 0) Replace(slot, value);
        else Add(key, value);
    }

    /// <summary>The map with this update's changes: the same map when there are none. Ends the update.</summary>
    public TwinMap<TValue> ToMap()
    {
        if (_addedCount == 0) return _changed is null ? map : TwinMap<TValue>.Own(_changed);

        var added = _added.AsSpan(0, _addedCount);
        added.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key)); // no repeats: Find saw every earlier addition
        ReadOnlySpan<KeyValuePair<string, TValue>> existing = _changed ?? map.Entries;
        var merged = new KeyValuePair<string, TValue>[existing.Length + added.Length];
        int i = 0, j = 0, k = 0;
        while (i < existing.Length && j < added.Length)
            merged[k++] = string.CompareOrdinal(existing[i].Key, added[j].Key) < 0 ? existing[i++] : added[j++];
        existing[i..].CopyTo(merged.AsSpan(k));
        added[j..].CopyTo(merged.AsSpan(k + existing.Length - i));
        return TwinMap<TValue>.Own(merged);
    }
}
