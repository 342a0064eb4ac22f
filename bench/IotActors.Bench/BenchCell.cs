using System.Globalization;

namespace IotActors.Bench;

/// <summary>One point of the axes: how many connections, over how many devices, with what link credit and body size.</summary>
/// <param name="Connections">Client IDs (AMQP connections), each with one receiver link.</param>
/// <param name="Devices">Distinct devices the traffic is spread over (uniformly at random, seeded).</param>
/// <param name="Credit">Link credit per connection: the most unsettled deliveries at once.</param>
/// <param name="BodyBytes">Size of each message body (a property post padded to this size).</param>
public sealed record BenchCell(int Connections, int Devices, int Credit, int BodyBytes)
{
    public override string ToString() =>
        $"conn={Connections} devices={Count(Devices)} credit={Credit} body={Size(BodyBytes)}";

    internal static string Count(long n) => n switch
    {
        >= 1_000_000 when n % 1_000_000 == 0 => (n / 1_000_000).ToString(CultureInfo.InvariantCulture) + "M",
        >= 1_000 when n % 1_000 == 0 => (n / 1_000).ToString(CultureInfo.InvariantCulture) + "k",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    internal static string Size(int bytes) => bytes >= 1024 && bytes % 1024 == 0
        ? (bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " B";
}
