using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IotActors.Tests.Shared;

/// <summary>
/// Loopback ports for servers a test starts in another process, where the port must be chosen before the
/// server binds it (PostgreSQL, RabbitMQ, a host whose configured port is under test).
/// </summary>
/// <remarks>
/// Why not "bind to port 0, read the port, release it": that port comes from the kernel's ephemeral range, and
/// until the server binds it, any port-0 listener or outgoing connection on the machine may take it (CI once
/// saw a node's Akka remoting, itself on port 0, take the HTTP port its test had just released). Ports below
/// the ephemeral range are never handed out by the kernel, so only another test picking the same one at
/// random could collide.
/// </remarks>
internal static class LoopbackPorts
{
    private const int Lowest = 10_000;
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>One loopback port below the ephemeral range that nothing listens on now.</summary>
    public static int Unused() => Unused(1)[0];

    /// <summary><paramref name="count"/> distinct such ports (all held together while checked, so none repeats).</summary>
    public static int[] Unused(int count)
    {
        var below = FirstEphemeralPort();
        var held = new List<TcpListener>();
        try
        {
            for (var attempt = 0; held.Count < count; attempt++)
            {
                if (attempt == 1_000) throw new InvalidOperationException($"no free loopback port in {Lowest}–{below - 1} after 1000 tries");
                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(Lowest, below));
                try
                {
                    listener.Start();
                    held.Add(listener);
                }
                catch (SocketException)
                {
                    // Taken: try another.
                }
            }
            return held.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            held.ForEach(l => l.Stop());
        }
    }

    private static int FirstEphemeralPort()
    {
        // Linux's default is 32768. On a machine tuned to start far lower, a small overlap is the lesser evil.
        try
        {
            var first = int.Parse(File.ReadAllText(EphemeralRange).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
            return Math.Max(first, Lowest + 1_000);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32_768;
        }
    }
}
