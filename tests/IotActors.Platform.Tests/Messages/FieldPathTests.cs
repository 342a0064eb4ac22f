using IotActors.Platform.Messages;

namespace IotActors.Platform.Tests.Messages;

/// <summary>How failure reasons name nested fields; the text is built only when a reason needs it.</summary>
public class FieldPathTests
{
    [Fact]
    public void Root_names_its_fields_without_a_prefix()
    {
        FieldPath root = default;

        Assert.True(root.IsRoot);
        Assert.Equal("", root.FieldPrefix());
    }

    [Theory]
    [InlineData("items.", "Temperature", -1, "items.Temperature")]
    [InlineData("payload.", "Temperature", 2, "payload.Temperature[2]")]
    [InlineData("devices", null, 0, "devices[0]")]
    public void Nested_path_reads_as_the_payload_writes_it(string parent, string? member, int index, string expected)
    {
        var path = new FieldPath(parent, member, index);

        Assert.False(path.IsRoot);
        Assert.Equal(expected, path.ToString());
        Assert.Equal(expected + ".", path.FieldPrefix());
    }
}
