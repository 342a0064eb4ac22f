using System.Text;
using IotActors.Actors.Devices;

namespace IotActors.Actors.Twin;

/// <summary>
/// One string per property or event identifier for all twins of the process: identifiers come from the products' thing
/// models, so a fleet repeats a few dozen names in every device's twin. Each message reads its identifiers afresh; kept
/// as read, a busy device would hold its own copy of each (~1.4 KB for a 45-property post) and every message would
/// replace them with new strings that the garbage collector then has to promote.
/// </summary>
/// <remarks>Bounded: past <see cref="Capacity"/> distinct identifiers (a device inventing names) strings are kept as read.</remarks>
internal static class TwinIdentifiers
{
    public const int Capacity = 65_536;

    // TSL identifiers are at most 50 characters; longer names are decoded into a string first.
    private const int StackChars = 128;

    private static readonly BoundedStringPool Pool = new(Capacity);

    /// <summary>The process's instance of <paramref name="identifier"/>, or the argument itself once the pool is full.</summary>
    public static string Intern(string identifier) => Pool.Intern(identifier);

    /// <summary>The process's instance of the identifier whose UTF-8 text (valid, unescaped) is <paramref name="utf8"/>;
    /// no string is made for one the pool has.</summary>
    public static string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StackChars) return Pool.Intern(Encoding.UTF8.GetString(utf8));
        Span<char> chars = stackalloc char[utf8.Length]; // sized to the name: the buffer is zeroed on every call
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return Pool.Intern(chars[..length]);
    }
}
