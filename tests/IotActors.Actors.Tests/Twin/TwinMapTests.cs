using IotActors.Actors.Twin;

namespace IotActors.Actors.Tests.Twin;

public class TwinMapTests
{
    [Fact]
    public void Entries_are_in_ordinal_identifier_order_and_the_last_of_a_repeated_identifier_counts()
    {
        var map = TwinMap<int>.Create([new("b", 1), new("B", 2), new("a", 3), new("b", 4), new("_", 5)]);

        Assert.Equal(4, map.Count);
        Assert.Equal(["B", "_", "a", "b"], map.Keys);
        Assert.Equal([2, 5, 3, 4], map.Values);
        Assert.Equal([new("B", 2), new("_", 5), new("a", 3), new("b", 4)], map.ToList());
        var enumerated = new List<string>();
        foreach (var (key, _) in map) enumerated.Add(key);
        Assert.Equal(map.Keys, enumerated);
    }

    [Fact]
    public void Lookups_find_present_identifiers_only()
    {
        var map = TwinMap<string>.Create([new("Temperature", "t"), new("Humidity", "h")]);

        Assert.Equal("t", map["Temperature"]);
        Assert.True(map.TryGetValue("Humidity", out var humidity));
        Assert.Equal("h", humidity);
        Assert.True(map.ContainsKey("Humidity"));
        Assert.False(map.ContainsKey("humidity"));
        Assert.False(map.TryGetValue("Pressure", out _));
        var missing = Assert.Throws<KeyNotFoundException>(() => map["Pressure"]);
        Assert.Contains("Pressure", missing.Message, StringComparison.Ordinal);
        Assert.False(TwinMap<string>.Empty.ContainsKey("Temperature"));
    }

    [Fact]
    public void SetItem_adds_or_replaces_in_a_new_map_and_leaves_the_old_one()
    {
        var map = TwinMap<int>.Create([new("m", 1)]);

        var added = map.SetItem("z", 2).SetItem("a", 3).SetItem("n", 4);
        var replaced = added.SetItem("n", 5);

        Assert.Equal(["m"], map.Keys);
        Assert.Equal([new("a", 3), new("m", 1), new("n", 4), new("z", 2)], added.ToList());
        Assert.Equal([3, 1, 5, 2], replaced.Values);
        Assert.Equal(4, added["n"]);
    }

    [Fact]
    public void An_update_that_changes_nothing_gives_back_the_same_map()
    {
        var map = TwinMap<int>.Create([new("a", 1), new("b", 2)]);
        var update = new TwinMapUpdate<int>(map);

        Assert.Equal(2, update.ValueAt(update.Find("b")));
        Assert.Equal(-1, update.Find("c"));
        Assert.Same(map, update.ToMap());
    }

    [Fact]
    public void Snapshot_entries_out_of_order_are_ordered_again()
    {
        var map = TwinMap<int>.FromOrdered([new("b", 1), new("a", 2), new("b", 3)]);

        Assert.Equal([new("a", 2), new("b", 3)], map.ToList());
        Assert.Same(TwinMap<int>.Empty, TwinMap<int>.FromOrdered([]));
    }

    [Fact]
    public void Updates_of_many_identifiers_at_once_match_a_sorted_dictionary()
    {
        // Seeded batches of sets over a small alphabet of identifiers (so most are replacements, some additions, some
        // repeated within a batch), each made into one map, compared with the same sets applied to a SortedDictionary.
        var random = new Random(20261127);
        var identifiers = Enumerable.Range(0, 40).Select(i => (i % 3 == 0 ? "S" : "t") + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var map = TwinMap<int>.Empty;
        var model = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var everySet = new List<KeyValuePair<string, int>>();
        for (var batch = 0; batch < 500; batch++)
        {
            var before = map;
            var beforeEntries = map.ToList();
            var update = new TwinMapUpdate<int>(map);
            var sets = random.Next(0, 12);
            for (var i = 0; i < sets; i++)
            {
                // Fresh string instances: lookups must not rely on interned identifiers.
                var key = new string(identifiers[random.Next(identifiers.Length)].AsSpan());
                var value = random.Next(1000);
                update.Set(key, value);
                model[key] = value;
                everySet.Add(new(key, value));
                Assert.Equal(value, update.ValueAt(update.Find(key)));
            }
            map = update.ToMap();

            Assert.Equal(model.ToList(), map.ToList());
            Assert.Equal(beforeEntries, before.ToList()); // the map an update started from is never changed
            foreach (var (key, value) in model) Assert.Equal(value, map[key]);
        }
        Assert.Equal(identifiers.Length, map.Count);
        Assert.Equal(model.ToList(), TwinMap<int>.Create(everySet).ToList()); // ~2,700 sets at once: the last of each counts
        Assert.Equal(model.ToList(), new TwinMap<int>(everySet).ToList());
    }
}
