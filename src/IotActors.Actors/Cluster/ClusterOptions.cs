using System.Globalization;

namespace IotActors.Actors.Cluster;

/// <summary>How a node decides which side of a network partition survives.</summary>
public enum SplitBrainStrategy
{
    /// <summary>The side with more than half of the members stays; a tie keeps the side with the lowest address. For three nodes or more.</summary>
    KeepMajority,

    /// <summary>
    /// The side with the oldest member stays. With <see cref="ClusterOptions.DownIfAlone"/> an oldest member that is
    /// cut off from every other member downs itself instead, so a two-node cluster survives the loss of either node.
    /// </summary>
    KeepOldest,
}

/// <summary>
/// Where this node listens and how it finds and stays in the cluster. A single process is a cluster of one:
/// with no <see cref="SeedNodes"/> the node joins itself.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Actor system name every node uses; seed node addresses must carry it (<c>akka.tcp://iot-actors@host:port</c>).</summary>
    public const string SystemName = "iot-actors";

    /// <summary>Address the node binds to and advertises (unless <see cref="PublicHostname"/> is set). <b>Default:</b> 127.0.0.1.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>Address other nodes reach this node at, when it differs from <see cref="Hostname"/> (container, NAT). <b>Default:</b> none.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>TCP port of Akka.Remote; 0 takes a free port (only sensible without seed nodes, or for tests). <b>Default:</b> 4053.</summary>
    public int Port { get; set; } = 4053;

    /// <summary>
    /// Addresses of the seed nodes, <c>akka.tcp://iot-actors@host:port</c>; the first one that answers is joined, and
    /// the first in the list starts a new cluster when none does. Empty: the node joins itself (a cluster of one).
    /// <b>Default:</b> empty.
    /// </summary>
    public List<string> SeedNodes { get; set; } = [];

    /// <summary>Cluster roles of this node. <b>Default:</b> none (every node hosts devices and connections).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Split-brain resolver strategy. <b>Default:</b> <see cref="SplitBrainStrategy.KeepMajority"/>; use <see cref="SplitBrainStrategy.KeepOldest"/> for two nodes.</summary>
    public SplitBrainStrategy SplitBrainStrategy { get; set; } = SplitBrainStrategy.KeepMajority;

    /// <summary>With <see cref="SplitBrainStrategy.KeepOldest"/>: an oldest member left alone downs itself. <b>Default:</b> true.</summary>
    public bool DownIfAlone { get; set; } = true;

    /// <summary>
    /// How long membership must be stable before the split-brain resolver downs unreachable members; a dead node's
    /// connections and devices move after about this plus the failure detector's pause. <b>Default:</b> 20 s. Range 1 s – 10 min.
    /// </summary>
    public TimeSpan DownStableAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Device shards across the cluster; fixed for the cluster's lifetime (changing it moves every device).
    /// <b>Default:</b> 100 — enough for tens of nodes. Range 1–10,000.
    /// </summary>
    public int DeviceShards { get; set; } = Devices.DeviceEntity.DefaultShardCount;

    /// <summary>
    /// How often every sharded connection (one per client ID) is pinged so a connection whose node died starts again on
    /// another node. <b>Default:</b> 10 s. Range 100 ms – 10 min.
    /// </summary>
    public TimeSpan ConnectionKeepAlive { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The address of this node as a seed would name it.</summary>
    public string SelfAddress => $"akka.tcp://{SystemName}@{PublicHostname ?? Hostname}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Problems with the settings, each naming its setting (<c>Cluster:Port</c> …); empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Hostname)) errors.Add("Cluster:Hostname is empty; give the address to bind to (e.g. 0.0.0.0 in a container with Cluster:PublicHostname set).");
        if (Port is < 0 or > 65535) errors.Add($"Cluster:Port is {Port}; allowed 0–65535.");
        foreach (var seed in SeedNodes)
        {
            if (!IsSeedAddress(seed))
                errors.Add($"Cluster:SeedNodes contains '{seed}'; each must be akka.tcp://{SystemName}@host:port.");
        }
        if (DownStableAfter < TimeSpan.FromSeconds(1) || DownStableAfter > TimeSpan.FromMinutes(10))
            errors.Add($"Cluster:DownStableAfter is {DownStableAfter}; allowed 1 s – 10 min.");
        if (DeviceShards is < 1 or > 10_000) errors.Add($"Cluster:DeviceShards is {DeviceShards}; allowed 1–10000.");
        if (ConnectionKeepAlive < TimeSpan.FromMilliseconds(100) || ConnectionKeepAlive > TimeSpan.FromMinutes(10))
            errors.Add($"Cluster:ConnectionKeepAlive is {ConnectionKeepAlive}; allowed 100 ms – 10 min.");
        return errors;
    }

    /// <summary>
    /// Reads the <c>Cluster</c> section through <paramref name="setting"/> (e.g. <c>key =&gt; configuration[key]</c>), so
    /// <c>IOTACTORS__CLUSTER__HOSTNAME</c>, <c>__PORT</c>, <c>__SEEDNODES</c> (comma-separated) and the rest apply.
    /// Unset keys keep their defaults; values that do not parse are reported by <see cref="Validate"/>-style errors.
    /// </summary>
    /// <param name="setting">Looks up a configuration key such as <c>Cluster:Port</c>; null when unset.</param>
    /// <param name="errors">Receives one message per value that does not parse.</param>
    public static ClusterOptions FromSettings(Func<string, string?> setting, ICollection<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(setting);
        errors ??= new List<string>();
        var options = new ClusterOptions();
        if (Value(nameof(Hostname)) is { } host) options.Hostname = host;
        if (Value(nameof(PublicHostname)) is { } publicHost) options.PublicHostname = publicHost;
        if (Value(nameof(Port)) is { } port)
        {
            if (int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p)) options.Port = p;
            else errors.Add($"Cluster:Port is '{port}'; it must be a number 0–65535.");
        }
        options.SeedNodes = List(nameof(SeedNodes));
        options.Roles = List(nameof(Roles));
        if (Value(nameof(SplitBrainStrategy)) is { } strategy)
        {
            if (Enum.TryParse<SplitBrainStrategy>(strategy.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var s)) options.SplitBrainStrategy = s;
            else errors.Add($"Cluster:SplitBrainStrategy is '{strategy}'; allowed keep-majority or keep-oldest.");
        }
        if (Value(nameof(DownIfAlone)) is { } alone)
        {
            if (bool.TryParse(alone, out var a)) options.DownIfAlone = a;
            else errors.Add($"Cluster:DownIfAlone is '{alone}'; allowed true or false.");
        }
        if (Duration(nameof(DownStableAfter)) is { } stable) options.DownStableAfter = stable;
        if (Duration(nameof(ConnectionKeepAlive)) is { } keepAlive) options.ConnectionKeepAlive = keepAlive;
        if (Value(nameof(DeviceShards)) is { } shards)
        {
            if (int.TryParse(shards, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) options.DeviceShards = n;
            else errors.Add($"Cluster:DeviceShards is '{shards}'; it must be a number 1–10000.");
        }
        return options;

        string? Value(string name) => setting("Cluster:" + name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        List<string> List(string name)
        {
            // A comma-separated value (environment variable) or an array (Cluster:SeedNodes:0, :1, … from JSON).
            if (Value(name) is { } joined)
                return [.. joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            var items = new List<string>();
            for (var i = 0; i < 1000 && setting($"Cluster:{name}:{i.ToString(CultureInfo.InvariantCulture)}") is { } item; i++)
                if (!string.IsNullOrWhiteSpace(item)) items.Add(item.Trim());
            return items;
        }

        TimeSpan? Duration(string name)
        {
            if (Value(name) is not { } text) return null;
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t)) return t;
            errors.Add($"Cluster:{name} is '{text}'; it must be a duration hh:mm:ss.");
            return null;
        }
    }

    /// <summary>The keys of the <c>Cluster</c> section <see cref="FromSettings"/> reads.</summary>
    public static IReadOnlyList<string> KnownSettings { get; } =
    [
        nameof(Hostname), nameof(PublicHostname), nameof(Port), nameof(SeedNodes), nameof(Roles), nameof(SplitBrainStrategy),
        nameof(DownIfAlone), nameof(DownStableAfter), nameof(DeviceShards), nameof(ConnectionKeepAlive),
    ];

    private static bool IsSeedAddress(string seed) =>
        Uri.TryCreate(seed, UriKind.Absolute, out var uri)
        && uri.Scheme == "akka.tcp"
        && uri.UserInfo == SystemName
        && !string.IsNullOrEmpty(uri.Host)
        && uri.Port is > 0 and <= 65535;

    internal ClusterOptions Copy()
    {
        var copy = (ClusterOptions)MemberwiseClone();
        copy.SeedNodes = [.. SeedNodes];
        copy.Roles = [.. Roles];
        return copy;
    }
}
