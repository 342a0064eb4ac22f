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

    private static readonly BoundedStringPool Pool = new(Capacity);

    /// <summary>The process's instance of <paramref name="identifier"/>, or the argument itself once the pool is full.</summary>
    public static string Intern(string identifier) => Pool.Intern(identifier);
}
