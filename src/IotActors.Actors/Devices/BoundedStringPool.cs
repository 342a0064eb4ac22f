using System.Collections.Concurrent;

namespace IotActors.Actors.Devices;

/// <summary>
/// One instance per distinct string for strings a fleet repeats in every device (product keys, the identifiers of a
/// thing model), so that each resident device does not keep a copy of its own. Bounded: past its capacity (strings that
/// are not repeated after all) strings are kept as given.
/// </summary>
internal sealed class BoundedStringPool
{
    private readonly ConcurrentDictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public BoundedStringPool(int capacity)
    {
        Capacity = capacity;
        _byChars = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Capacity { get; }

    /// <summary>The pool's instance of <paramref name="value"/>, or the argument itself once the pool is full.</summary>
    public string Intern(string value)
    {
        if (_pool.TryGetValue(value, out var pooled)) return pooled;
        // The count is read without a lock: the bound may be passed by a few concurrent adds, which is harmless.
        return _pool.Count < Capacity ? _pool.GetOrAdd(value, value) : value;
    }

    /// <summary>The pool's instance of the string <paramref name="chars"/> hold: a string is made only for one it does not have yet.</summary>
    public string Intern(ReadOnlySpan<char> chars) =>
        _byChars.TryGetValue(chars, out var pooled) ? pooled : Intern(new string(chars));
}
