using System.Text;
using IotActors.Actors.Twin;

namespace IotActors.Actors.Tests.Twin;

public class TwinIdentifiersTests
{
    [Fact]
    public void Identifiers_read_from_a_body_are_the_pools_strings()
    {
        var read = TwinIdentifiers.Intern(Encoding.UTF8.GetBytes("Température"));

        Assert.Equal("Température", read);
        Assert.Same(read, TwinIdentifiers.Intern(new string("Température".AsSpan())));
        Assert.Same(read, TwinIdentifiers.Intern(Encoding.UTF8.GetBytes("Température")));
    }

    [Fact]
    public void A_name_longer_than_the_stack_buffer_is_read_whole()
    {
        var name = "长" + new string('n', 300);

        var read = TwinIdentifiers.Intern(Encoding.UTF8.GetBytes(name));

        Assert.Equal(name, read);
        Assert.Same(read, TwinIdentifiers.Intern(new string(name.AsSpan())));
    }
}
