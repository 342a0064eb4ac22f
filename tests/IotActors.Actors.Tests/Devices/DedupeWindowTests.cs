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
    [InlineData(997)] // not a power of two: the ring wraps at a length of its own
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Behaves_as_a_queue_with_a_set_under_adds_that_repeat_and_collide(int capacity)
    {
        // Hashes crowd a few home slots (equal low bits, the top slot among them, so probes wrap around the table's end)
        // and repeat, remembered and evicted ones alike: every probe, eviction and back-shift path of the table is taken.
        var random = new Random(capacity);
        var lowBits = new ulong[] { 0, 1, 0xFFFF_FFFF, 0xFFFF_FFFE, 0x8000 };
        var model = new Queue<ulong>();
        var window = DedupeWindow.Empty(capacity);
        for (var step = 0; step < 20_000; step++)
        {
            var low = random.Next(4) == 0 ? (ulong)random.Next() : lowBits[random.Next(lowBits.Length)];
            var hash = ((ulong)random.Next(3 * capacity + 3) << 32) | low;

            var expected = !model.Contains(hash);
            if (expected)
            {
                if (model.Count == capacity) model.Dequeue();
                model.Enqueue(hash);
            }

            Assert.Equal(expected, window.AddHash(hash));
            Assert.Equal(model.Count, window.Count);
            if (step % 97 == 0 || step > 19_900)
            {
                Assert.Equal(model, window.Hashes);
                Assert.All(model, h => Assert.True(window.ContainsHash(h)));
            }
        }
        // Every hash that was evicted is gone: the table holds exactly the ring.
        for (ulong high = 0; high < (ulong)(3 * capacity + 3); high++)
        {
            foreach (var low in lowBits)
                Assert.Equal(model.Contains((high << 32) | low), window.ContainsHash((high << 32) | low));
        }

        // A copy (a snapshot's) goes on exactly as the original would, and apart from it.
        var copy = window.Copy();
        var copyModel = new Queue<ulong>(model);
        Assert.Equal(copyModel, copy.Hashes);
        for (var i = 0; i < capacity + 5; i++)
        {
            var hash = (ulong)random.NextInt64();
            Assert.True(copy.AddHash(hash));
            if (copyModel.Count == capacity) copyModel.Dequeue();
            copyModel.Enqueue(hash);
            Assert.Equal(copyModel, copy.Hashes);
        }
        Assert.All(copyModel, h => Assert.True(copy.ContainsHash(h)));
        Assert.Equal(model, window.Hashes);
    }

    [Fact]
    public void An_empty_window_contains_nothing()
    {
        var window = DedupeWindow.Empty(10);

        Assert.False(window.Contains("a"));
        Assert.Empty(window.Hashes);
        Assert.Equal(0, window.Count);
    }
}
