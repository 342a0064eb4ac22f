using System.Globalization;

namespace IotActors.Emulator.Simulation;

/// <summary>
/// Snowflake-style platform message IDs: 41 bits of ms since 2010-11-04 (19 decimal digits for
/// dates from 2016 on), 10 bits of "worker" taken from the seed, 12 random bits. Unique as long as
/// every message gets a later millisecond, which the simulator's clock guarantees.
/// </summary>
internal sealed class MessageIdGenerator(int seed)
{
    private const long Epoch = 1_288_834_974_657;
    private readonly long _worker = unchecked((uint)seed * 2_654_435_761u) >> 22;

    public string Next(long nowMs, Random random)
    {
        var id = ((nowMs - Epoch) << 22) | (_worker << 12) | (long)random.Next(4096);
        return id.ToString(CultureInfo.InvariantCulture);
    }
}
