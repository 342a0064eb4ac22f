using IotActors.Actors.Devices;

namespace IotActors.Actors.Tests.Devices;

public class DedupeWindowTests
{
    [Fact]
    public void Full_window_evicts_the_oldest_id_and_keeps_insertion_order()
    {
        var window = DedupeWindow.Empty(3).Add("a").Add("b").Add("c").Add("d");

        Assert.Equal(["b", "c", "d"], window.Ids);
        Assert.False(window.Contains("a"));
        Assert.True(window.Contains("d"));
    }

    [Fact]
    public void Adding_a_remembered_id_changes_nothing()
    {
        var window = DedupeWindow.Empty(2).Add("a").Add("b");

        Assert.Same(window, window.Add("a"));
        Assert.Equal(["a", "b"], window.Add("a").Ids);
    }

    [Fact]
    public void Window_is_immutable()
    {
        var before = DedupeWindow.Empty(2).Add("a");
        _ = before.Add("b").Add("c");

        Assert.Equal(["a"], before.Ids);
    }

    [Fact]
    public void Rebuilt_window_keeps_only_the_newest_ids_that_fit()
    {
        var window = DedupeWindow.From(2, ["a", "b", "c"]);

        Assert.Equal(["b", "c"], window.Ids);
        Assert.Equal(2, window.Count);
    }
}
