using System.CommandLine;
using System.Reflection;
using IotActors.Actors.Cluster;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Host.Cli;
using IotActors.Host.Configuration;
using IotActors.Host.Http;
using IotActors.Host.Running;
using YamlDotNet.RepresentationModel;

namespace IotActors.Host.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked by construction:
/// every service, command, option, variable, port, volume and file they name must match what the
/// host really reads.
/// </summary>
public class ComposeFileTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly YamlMappingNode Compose = Load(Path.Combine(Root, "docker-compose.yml"));
    private static readonly YamlMappingNode Services = (YamlMappingNode)Compose["services"];
    private static readonly string[] Nodes = ["node1", "node2", "node3"];

    [Fact]
    public void Topology_is_postgres_the_emulator_and_three_nodes_on_one_network()
    {
        Assert.Equal(["emulator", "node1", "node2", "node3", "postgres"], Services.Children.Keys.Select(k => k.ToString()).Order());
        foreach (var (name, service) in Services.Children)
        {
            var networks = ((YamlSequenceNode)((YamlMappingNode)service)["networks"]).Children.Select(n => n.ToString()).ToList();
            Assert.True(networks.SequenceEqual(["iot"]), $"{name} is on {string.Join(",", networks)}");
            Assert.True(((YamlMappingNode)service).Children.ContainsKey("healthcheck"), $"{name} has no health check");
        }
    }

    [Fact]
    public void Every_command_parses_with_the_real_command_line()
    {
        var root = IotActorsCommands.CreateRoot();
        foreach (var name in new[] { "emulator" }.Concat(Nodes))
        {
            var command = Sequence(Service(name)["command"]);
            var parse = root.Parse(command.ToArray());
            Assert.True(parse.Errors.Count == 0, $"{name}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Empty(parse.UnmatchedTokens);
        }
    }

    [Fact]
    public void Every_environment_variable_is_a_setting_the_host_reads()
    {
        var known = KnownSettings();
        foreach (var name in new[] { "emulator" }.Concat(Nodes))
        {
            foreach (var (variable, _) in Environment(name))
            {
                Assert.StartsWith(IotActorsConfiguration.EnvironmentPrefix, variable);
                var key = variable[IotActorsConfiguration.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
                Assert.True(known.Contains(key), $"{name}: {variable} maps to '{key}', which nothing reads");
            }
        }
    }

    [Fact]
    public void Node_settings_are_valid_and_agree_with_the_other_services()
    {
        var emulatorCommand = Sequence(Service("emulator")["command"]);
        string EmulatorOption(string option, string fallback) =>
            emulatorCommand.IndexOf(option) is var i and >= 0 ? emulatorCommand[i + 1] : fallback;

        foreach (var node in Nodes)
        {
            var env = Environment(node);
            var settings = new Dictionary<string, string?>(env.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)));
            var configuration = IotActorsConfiguration.Build([], Root, settings);

            var (platform, errors) = PlatformOptionsBinder.Bind(configuration, o => o.TrustedRootCa = null); // the file exists only in the container
            Assert.True(platform is not null, $"{node}: {string.Join(" ", errors)}");
            Assert.Equal("emulator", platform!.Host);
            Assert.Equal(EmulatorOption("--port", "5671"), platform.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(EmulatorOption("--access-key-id", EmulateCommand.DefaultAccessKeyId), platform.AccessKeyId);
            Assert.Equal(EmulatorOption("--access-key-secret", EmulateCommand.DefaultAccessKeySecret), platform.AccessKeySecret);
            Assert.Equal(EmulatorOption("--consumer-group", "DEFAULT_GROUP"), platform.ConsumerGroupId);
            Assert.Contains(platform.Host, CertificateHosts(emulatorCommand));
            Assert.Equal(EmulatorOption("--cert-out", ""), env["IOTACTORS__PLATFORM__TRUSTEDROOTCA"]);

            var clusterErrors = new List<string>();
            var cluster = ClusterOptions.FromSettings(key => configuration[key], clusterErrors);
            clusterErrors.AddRange(cluster.Validate());
            Assert.True(clusterErrors.Count == 0, $"{node}: {string.Join(" ", clusterErrors)}");
            Assert.Equal(node, cluster.PublicHostname);
            Assert.Equal([$"akka.tcp://{ClusterOptions.SystemName}@node1:{cluster.Port}"], cluster.SeedNodes);
        }
    }

    [Fact]
    public void Certificates_flow_through_one_shared_volume()
    {
        var emulatorVolumes = Sequence(Service("emulator")["volumes"]);
        Assert.Contains("certs:/certs", emulatorVolumes);
        foreach (var node in Nodes) Assert.Contains("certs:/certs:ro", Sequence(Service(node)["volumes"]));
        Assert.True(((YamlMappingNode)Compose["volumes"]).Children.ContainsKey("certs"));
    }

    [Fact]
    public void Persistence_points_at_the_postgres_service_with_its_credentials()
    {
        var pg = Environment("postgres");
        foreach (var node in Nodes)
        {
            var env = Environment(node);
            Assert.Equal("postgresql", env["IOTACTORS__PERSISTENCE__PROVIDER"]);
            var parts = env["IOTACTORS__PERSISTENCE__CONNECTIONSTRING"].Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            Assert.Equal("postgres", parts["Host"]);
            Assert.Equal(pg["POSTGRES_DB"], parts["Database"]);
            Assert.Equal(pg["POSTGRES_USER"], parts["Username"]);
            Assert.Equal(pg["POSTGRES_PASSWORD"], parts["Password"]);
        }
    }

    [Fact]
    public void Dockerfile_builds_the_host_project_and_starts_the_iot_actors_executable()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        var publish = dockerfile.Single(l => l.Contains("dotnet publish", StringComparison.Ordinal));
        var project = publish.Split(' ').Single(w => w.EndsWith(".csproj", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Root, project)), $"{project} does not exist");
        Assert.Contains("<AssemblyName>iot-actors</AssemblyName>", File.ReadAllText(Path.Combine(Root, project)));
        Assert.Contains(dockerfile, l => l.Trim() == """ENTRYPOINT ["dotnet", "iot-actors.dll"]""");
        foreach (var name in new[] { "emulator" }.Concat(Nodes)) Assert.Equal(".", Service(name)["build"].ToString());
        Assert.Contains("5671", dockerfile.Single(l => l.StartsWith("EXPOSE", StringComparison.Ordinal)));
    }

    private static HashSet<string> KnownSettings()
    {
        static IEnumerable<string> Section(string name, Type type) => type
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => $"{name}:{p.Name}");

        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        known.UnionWith(PlatformOptionsBinder.KnownSettings.Select(s => $"{PlatformOptionsBinder.SectionName}:{s}"));
        known.UnionWith(Section(IotActorsClusterHosting.SectionName, typeof(ClusterOptions)));
        known.UnionWith(IotActorsClusterHosting.PersistenceSettings);
        known.UnionWith([PersistenceSettings.ProviderKey, PersistenceSettings.ConnectionStringKey, PersistenceSettings.DataDirKey]);
        known.UnionWith(Section("Http", typeof(HttpOptions)));
        known.UnionWith(Section("Consumer", typeof(ConsumerOptions)));
        known.UnionWith(Section("Devices", typeof(DeviceOptions)));
        known.UnionWith(Section("Embedded", typeof(EmbeddedOptions)));
        return known;
    }

    private static IEnumerable<string> CertificateHosts(IReadOnlyList<string> command)
    {
        yield return "localhost";
        for (var i = 0; i < command.Count - 1; i++)
            if (command[i] == "--cert-host") yield return command[i + 1];
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static List<string> Sequence(YamlNode node) => ((YamlSequenceNode)node).Children.Select(c => c.ToString()).ToList();

    /// <summary>A service's environment with YAML merge keys (<c>&lt;&lt;: *node-env</c>) resolved.</summary>
    private static Dictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Service(service).Children.TryGetValue("environment", out var node)) return result;
        foreach (var (key, value) in ((YamlMappingNode)node).Children)
        {
            if (key.ToString() == "<<")
                foreach (var (k, v) in ((YamlMappingNode)value).Children) result.TryAdd(k.ToString(), v.ToString());
            else
                result[key.ToString()] = value.ToString();
        }
        return result;
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string FindRepositoryRoot()
    {
        // Stamped at build time, so the tests find the repository even when built into another folder.
        var stamped = typeof(ComposeFileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (stamped is not null && File.Exists(Path.Combine(stamped, "IotActors.sln"))) return Path.GetFullPath(stamped);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IotActors.sln"))) return dir.FullName;
        throw new InvalidOperationException("IotActors.sln not found above " + AppContext.BaseDirectory);
    }
}
