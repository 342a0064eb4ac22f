namespace IotActors.Emulator.Tests.Peers;

/// <summary>
/// Finds the real AMQP 1.0 peers installed on this machine (see shared/notes/real-peers.md):
/// Apache Qpid Proton in Debian's own Python and RabbitMQ with its AMQP 1.0 plugin.
/// A test calls <see cref="RequireProton"/> / <see cref="RequireRabbitMq"/> first (in a
/// <c>[SkippableFact]</c>): a missing peer skips the test with the reason, unless
/// <c>IOTACTORS_REQUIRE_PEERS=1</c> (set by CI), where it fails the test instead.
/// </summary>
public static class RealPeers
{
    public const string RequirePeersVariable = "IOTACTORS_REQUIRE_PEERS";

    /// <summary>Debian's interpreter; the <c>python3</c> first on PATH may be another one that cannot import proton.</summary>
    public const string ProtonPython = "/usr/bin/python3";

    /// <summary>RabbitMQ's own bin folder: the <c>/usr/sbin</c> wrappers switch user and drop the environment.</summary>
    public const string RabbitMqBin = "/usr/lib/rabbitmq/bin";

    public const string RabbitMqLib = "/usr/lib/rabbitmq/lib";

    private const string InstallHint = "install the Debian packages python3-qpid-proton and rabbitmq-server (scripts/test.sh does it when run as root)";

    private static readonly Lazy<string?> ProtonProblem = new(FindProtonProblem);
    private static readonly Lazy<string?> RabbitMqProblem = new(FindRabbitMqProblem);

    public static bool PeersRequired => Environment.GetEnvironmentVariable(RequirePeersVariable) == "1";

    /// <summary>Skips (or, when peers are required, fails) unless Qpid Proton imports in <see cref="ProtonPython"/>. Returns the interpreter path.</summary>
    public static string RequireProton()
    {
        Require(ProtonProblem.Value, PeersRequired);
        return ProtonPython;
    }

    /// <summary>Skips (or, when peers are required, fails) unless RabbitMQ with the AMQP 1.0 plugin is installed. Returns its bin folder.</summary>
    public static string RequireRabbitMq()
    {
        Require(RabbitMqProblem.Value, PeersRequired);
        return RabbitMqBin;
    }

    /// <summary>The one place that decides between skipping and failing.</summary>
    internal static void Require(string? problem, bool required)
    {
        if (problem is null)
        {
            return;
        }
        if (required)
        {
            throw new PeerMissingException($"REAL PEER MISSING and {RequirePeersVariable}=1: {problem}; {InstallHint}.");
        }
        Skip.If(true, $"REAL PEER MISSING, test skipped: {problem}; {InstallHint}, or set {RequirePeersVariable}=1 to make this a failure.");
    }

    private static string? FindProtonProblem()
    {
        if (!File.Exists(ProtonPython))
        {
            return $"{ProtonPython} does not exist";
        }
        var result = PeerProcess.RunAsync(ProtonPython, ["-c", "import proton; print(proton.VERSION)"], TimeSpan.FromSeconds(30))
            .GetAwaiter().GetResult();
        return result.Succeeded ? null : $"{ProtonPython} cannot import proton ({result.Describe()})";
    }

    private static string? FindRabbitMqProblem()
    {
        foreach (var tool in new[] { "rabbitmq-server", "rabbitmqctl" })
        {
            if (!File.Exists(Path.Combine(RabbitMqBin, tool)))
            {
                return $"{Path.Combine(RabbitMqBin, tool)} does not exist";
            }
        }
        var plugin = Directory.Exists(RabbitMqLib)
            && Directory.EnumerateDirectories(RabbitMqLib, "plugins", SearchOption.AllDirectories)
                .Any(p => Directory.EnumerateFileSystemEntries(p, "rabbitmq_amqp1_0-*").Any());
        if (!plugin)
        {
            return $"the rabbitmq_amqp1_0 plugin is not under {RabbitMqLib}";
        }
        return File.Exists("/usr/bin/epmd") || File.Exists("/usr/lib/erlang/bin/epmd") ? null : "Erlang's epmd is not installed";
    }
}
