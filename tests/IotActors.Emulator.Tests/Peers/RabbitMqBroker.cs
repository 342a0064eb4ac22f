using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Amqp;
using Amqp.Framing;

namespace IotActors.Emulator.Tests.Peers;

/// <summary>
/// A private RabbitMQ node with the AMQP 1.0 plugin, run as a plain process (no systemd) as
/// shared/notes/real-peers.md describes: its own temp folder for data, logs, pid file and Erlang
/// cookie, a unique node name, listeners bound to 127.0.0.1 on free ports, a private epmd port
/// (so stopping it never touches anyone else's Erlang nodes), and <c>guest</c>/<c>guest</c>
/// allowed from loopback. Call <see cref="RealPeers.RequireRabbitMq"/> before <see cref="StartAsync"/>.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _server;
    private readonly ConcurrentQueue<string> _serverOutput;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, string> _environment;
    private int _disposed;

    private RabbitMqBroker(string folder, string nodeName, int port, int? tlsPort, int epmdPort, Dictionary<string, string> environment, Process server, ConcurrentQueue<string> serverOutput)
    {
        Folder = folder;
        NodeName = nodeName;
        Port = port;
        TlsPort = tlsPort;
        EpmdPort = epmdPort;
        _environment = environment;
        _server = server;
        _serverOutput = serverOutput;
        _server.Exited += (_, _) => _exited.TrySetResult();
        if (_server.HasExited)
        {
            _exited.TrySetResult();
        }
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The AMQPS port when started with a certificate; connect as <c>localhost</c>.</summary>
    public int? TlsPort { get; }

    public string User => "guest";

    public string Password => "guest";

    public string NodeName { get; }

    public int EpmdPort { get; }

    /// <summary>After dispose: true when <c>rabbitmqctl stop</c> ended the node, false when it had to be killed.</summary>
    public bool StoppedGracefully { get; private set; }

    /// <summary>Data, logs, config and cookie of this node; deleted on dispose.</summary>
    public string Folder { get; }

    public string Url => $"amqp://{Host}:{Port}";

    /// <summary><c>amqps://localhost:PORT</c>, or null without TLS.</summary>
    public string? TlsUrl => TlsPort is { } p ? $"amqps://localhost:{p}" : null;

    /// <summary>An AMQPNetLite address for this broker with SASL PLAIN (guest/guest unless given).</summary>
    public Address Address(string? user = null, string? password = null) =>
        new(Host, Port, user ?? User, password ?? Password, "/", "amqp");

    /// <summary>Starts a node and waits (bounded) until its applications, AMQP 1.0 included, are running.</summary>
    /// <param name="tls">When given, also listens for AMQPS on a free port with this certificate.</param>
    public static async Task<RabbitMqBroker> StartAsync(ServerCertificateFiles? tls = null, CancellationToken cancellationToken = default)
    {
        var bin = RealPeers.RequireRabbitMq();
        var folder = Directory.CreateTempSubdirectory("iotactors-rabbitmq-").FullName;
        var nodeName = $"iotactors-{Guid.NewGuid().ToString("N")[..10]}@localhost";
        var ports = LoopbackPorts.Unused(tls is null ? 3 : 4);
        var (port, distPort, epmdPort) = (ports[0], ports[1], ports[2]);
        int? tlsPort = tls is null ? null : ports[3];

        Directory.CreateDirectory(Path.Combine(folder, "home"));
        var config = new List<string>
        {
            $"listeners.tcp.default = 127.0.0.1:{port}",
            "loopback_users.guest = true",
            "log.console = false",
            "log.file.level = info",
        };
        if (tls is not null)
        {
            config.AddRange(
            [
                $"listeners.ssl.default = 127.0.0.1:{tlsPort}",
                $"ssl_options.cacertfile = {tls.CaPemPath}",
                $"ssl_options.certfile = {tls.CertificatePemPath}",
                $"ssl_options.keyfile = {tls.KeyPemPath}",
                "ssl_options.verify = verify_none",
                "ssl_options.fail_if_no_peer_cert = false",
            ]);
        }
        await File.WriteAllLinesAsync(Path.Combine(folder, "rabbitmq.conf"), config, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[rabbitmq_amqp1_0].\n", cancellationToken).ConfigureAwait(false);

        var environment = new Dictionary<string, string>
        {
            // The Erlang cookie lives in $HOME: a private HOME keeps it private to this node and its rabbitmqctl calls.
            ["HOME"] = Path.Combine(folder, "home"),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(folder, "rabbitmq.pid"),
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq.conf"),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            // Loopback only: epmd and Erlang distribution listen on all interfaces by default.
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };

        var info = new ProcessStartInfo(Path.Combine(bin, "rabbitmq-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var output = new ConcurrentQueue<string>();
        var server = new Process { StartInfo = info, EnableRaisingEvents = true };
        server.OutputDataReceived += (_, e) => Keep(output, e.Data);
        server.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        server.Start();
        server.StandardInput.Close();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        var broker = new RabbitMqBroker(folder, nodeName, port, tlsPort, epmdPort, environment, server, output);
        try
        {
            var wait = await broker.CtlAsync(["wait", environment["RABBITMQ_PID_FILE"], "--timeout", ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)], StartTimeout + TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            if (!wait.Succeeded)
            {
                throw new InvalidOperationException($"RabbitMQ node {nodeName} did not start.\n{wait.Describe()}\n{broker.Diagnostics()}");
            }
            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Makes sure a queue exists so a receiver can attach to <c>/amq/queue/NAME</c> (a missing
    /// queue is <c>amqp:not-found</c>). Attaching an AMQP 1.0 sender to <c>/queue/NAME</c>
    /// declares it (verified by experiment: non-durable, not auto-delete).
    /// </summary>
    public async Task DeclareQueueAsync(string name, CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory();
        var connection = await factory.CreateAsync(Address()).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        try
        {
            var session = new Session(connection);
            var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sender = new SenderLink(session, "declare-" + name, new Attach { Target = new Target { Address = "/queue/" + name }, Source = new Source() }, (link, attach) => attached.TrySetResult());
            await attached.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (sender.Error is { } error)
            {
                throw new InvalidOperationException($"declaring queue {name} failed: {error}");
            }
            await sender.CloseAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        finally
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    /// <summary>Messages in each queue (ready + unacknowledged), read from the node with <c>rabbitmqctl list_queues</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync(CancellationToken cancellationToken = default)
    {
        var result = await CtlAsync(["-q", "list_queues", "name", "messages", "--no-table-headers"], CtlTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Describe());
        }
        return result.StdOut
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Adds a user with full rights on vhost <c>/</c>; names may hold any characters (e.g. a signed platform userName).</summary>
    public async Task AddUserAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        foreach (var args in new[]
        {
            new[] { "-q", "add_user", "--", user, password },
            ["-q", "set_permissions", "-p", "/", "--", user, ".*", ".*", ".*"],
        })
        {
            var result = await CtlAsync(args, CtlTimeout, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(result.Describe());
            }
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n NODE ARGS</c> with this node's environment.</summary>
    public Task<ProcessResult> CtlAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        PeerProcess.RunAsync(Path.Combine(RealPeers.RabbitMqBin, "rabbitmqctl"), arguments.Prepend(NodeName).Prepend("-n"), timeout, _environment, cancellationToken);

    /// <summary>The node's console output and log tail, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = "--- rabbitmq-server output ---\n" + string.Join('\n', _serverOutput);
        var log = Path.Combine(Folder, "log");
        if (Directory.Exists(log))
        {
            foreach (var file in Directory.EnumerateFiles(log, "*.log"))
            {
                var lines = File.ReadAllLines(file);
                text += $"\n--- {Path.GetFileName(file)} (last 40 lines) ---\n" + string.Join('\n', lines.TakeLast(40));
            }
        }
        return text;
    }

    /// <summary>
    /// <c>rabbitmqctl stop</c>, then this node's private epmd is killed, then (last resort) the
    /// server's process tree, then the folder is deleted. Each step is bounded.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            if (!_server.HasExited)
            {
                await CtlAsync(["stop"], CtlTimeout).ConfigureAwait(false);
                // Not WaitForExitAsync: it also waits for end-of-file on the output pipes, which a daemon
                // (epmd) started by the node may still hold open.
                await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                StoppedGracefully = true;
            }
        }
        catch (TimeoutException)
        {
            // Fall through to the kill below.
        }
        finally
        {
            try
            {
                // Only this node's epmd: it listens on a port no one else uses.
                await PeerProcess.RunAsync("epmd", ["-port", EpmdPort.ToString(CultureInfo.InvariantCulture), "-kill"], TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // epmd not on PATH: it then also could not have been started by the node.
            }
            if (!_server.HasExited)
            {
                _server.Kill(entireProcessTree: true);
            }
            _server.Dispose();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless.
            }
        }
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }
        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }
}
