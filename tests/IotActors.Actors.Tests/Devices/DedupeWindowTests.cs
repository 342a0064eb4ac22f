using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

public class DedupeWindowTests
{
    private static DedupeWindow With(int capacity, params string[] ids)
    {
        var window = DedupeWindow.Empty(capacity);
        foreach (var id in ids) window.Add(id);
        return window;
    }

    private static ulong[] HashesOf(params string[] ids) => ids.Select(DedupeWindow.HashOf).ToArray();

    [Fact]
    public void Full_window_evicts_the_oldest_id_and_keeps_insertion_order()
    {
        var window = With(3, "a", "b", "c", "d");

        Assert.Equal(HashesOf("b", "c", "d"), window.Hashes);
        Assert.False(window.Contains("a"));
        Assert.True(window.Contains("d"));
        Assert.Equal(3, window.Count);
    }

    [Fact]
    public void Adding_a_remembered_id_changes_nothing()
    {
        var window = With(2, "a", "b");

        Assert.False(window.Add("a"));
        Assert.Equal(HashesOf("a", "b"), window.Hashes);
        Assert.True(window.Add("c"));
        Assert.Equal(HashesOf("b", "c"), window.Hashes);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(997)] // a prime: the set's trimmed size has no spare slot
    [InlineData(1)]
    public void Eviction_keeps_order_over_many_wraps_of_the_ring(int capacity)
    {
        var window = DedupeWindow.Empty(capacity);
        var ids = Enumerable.Range(0, 5_321).Select(i => (1_800_000_000_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (var id in ids) Assert.True(window.Add(id));
        Assert.False(window.Add(ids[^1]));

        Assert.Equal(capacity, window.Count);
        Assert.Equal(HashesOf(ids[^capacity..]), window.Hashes);
        Assert.All(ids[^capacity..], id => Assert.True(window.Contains(id)));
        Assert.All(ids[..^capacity], id => Assert.False(window.Contains(id)));
    }

    [Fact]
    public void Copy_is_independent_of_the_original()
    {
        var original = With(2, "a");
        var copy = original.Copy();
        original.Add("b");
        original.Add("c");

        Assert.Equal(HashesOf("a"), copy.Hashes);
        Assert.Equal(HashesOf("b", "c"), original.Hashes);
    }

    [Fact]
    public void Rebuilt_window_keeps_only_the_newest_ids_that_fit()
    {
        var window = DedupeWindow.From(2, ["a", "b", "c"]);

        Assert.Equal(HashesOf("b", "c"), window.Hashes);
        Assert.Equal(2, window.Count);
        Assert.Equal(HashesOf("c"), window.WithCapacity(1).Hashes);
        Assert.Equal(HashesOf("b", "c"), DedupeWindow.FromHashes(5, window.Hashes).Hashes);
    }

    [Fact]
    public void Hash_is_stable_because_it_is_persisted()
    {
        // XxHash3 (seed 0) of the UTF-16 text: a changed function would make every stored window forget its IDs.
        Assert.Equal(DedupeWindow.HashOf("1800000000000000001"), DedupeWindow.HashOf(new string("1800000000000000001".ToCharArray())));
        Assert.Equal(System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.Unicode.GetBytes("msg-1")), DedupeWindow.HashOf("msg-1"));
        Assert.NotEqual(DedupeWindow.HashOf("msg-1"), DedupeWindow.HashOf("msg-2"));
    }
}
