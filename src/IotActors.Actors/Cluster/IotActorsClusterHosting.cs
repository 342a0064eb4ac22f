using Akka.Hosting;

namespace IotActors.Actors.Cluster;

/// <summary>What the <c>iot-actors</c> host calls to make every node a cluster node (one code path, even alone).</summary>
public static class IotActorsClusterHosting
{
    /// <summary>File name of the cluster HOCON shipped in the host's <c>hocon/</c> folder.</summary>
    public const string HoconFileName = "cluster.conf";

    /// <summary>Configuration section of the cluster settings: <c>Cluster</c> (environment: <c>IOTACTORS__CLUSTER__*</c>).</summary>
    public const string SectionName = "Cluster";

    /// <summary>Configuration keys reserved for durable device state (read by the persistence work).</summary>
    public static readonly IReadOnlyList<string> PersistenceSettings = ["Persistence:Provider", "Persistence:ConnectionString"];

    /// <summary>
    /// Loads <c>hocon/cluster.conf</c> from <paramref name="hoconDirectory"/> and joins the cluster described by the
    /// <c>Cluster</c> settings (<paramref name="setting"/>, e.g. <c>key =&gt; configuration[key]</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A cluster setting is invalid; the message names each one.</exception>
    /// <exception cref="FileNotFoundException"><c>cluster.conf</c> is missing.</exception>
    public static AkkaConfigurationBuilder WithIotActorsCluster(this AkkaConfigurationBuilder builder, Func<string, string?> setting, string hoconDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var file = Path.Combine(hoconDirectory, HoconFileName);
        if (!File.Exists(file)) throw new FileNotFoundException($"The cluster configuration {file} is missing.", file);
        var errors = new List<string>();
        var options = ClusterOptions.FromSettings(setting, errors);
        errors.AddRange(options.Validate());
        if (errors.Count > 0) throw new ArgumentException("Invalid cluster settings: " + string.Join(" ", errors));
        return builder.AddHoconFile(file, HoconAddMode.Append).WithIotCluster(options);
    }
}
