using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using IotActors.Emulator.Authentication;
using IotActors.Emulator.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotActors.Emulator;

/// <summary>
/// A local stand-in for the IoT Platform's AMQP endpoint (spec §7): TLS with a self-signed certificate,
/// SASL PLAIN with the platform's signed logins, its connection and link rules, consumer groups with
/// ack tracking and a stacked queue, its limits, and hooks to inject faults.
/// </summary>
/// <remarks>
/// Options are read once by <see cref="StartAsync"/>; change them afterwards and nothing happens.
/// Change <see cref="Faults"/> instead, which is meant to be changed while running.
/// </remarks>
public sealed class PlatformEmulator : IAsyncDisposable
{
    private const int PortAttempts = 5;
    private static readonly TimeSpan CloseGrace = ConnectionRules.CloseGrace;

    private readonly EmulatedPlatform _platform;
    private readonly ContainerHost _host;
    private readonly ILogger _logger;
    private int _disposed;

    private PlatformEmulator(EmulatedPlatform platform, ContainerHost host, int port, X509Certificate2 certificate, ILogger logger)
    {
        _platform = platform;
        _host = host;
        _logger = logger;
        Port = port;
        Certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>The TCP port the listener is bound to.</summary>
    public int Port { get; }

    /// <summary>The host clients dial (the listen address).</summary>
    public string Host => _platform.Options.ListenAddress;

    /// <summary><c>amqps://host:port</c>.</summary>
    public Uri Endpoint => new($"amqps://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}");

    /// <summary>The server certificate, private key included; disposed with the emulator.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate alone (no key) as PEM: what a client adds as its custom trust root.</summary>
    public string CertificatePem { get; }

    /// <summary>Faults to inject; change them at any time.</summary>
    public FaultSettings Faults => _platform.Faults;

    /// <summary>Starts the listener. With <see cref="EmulatorOptions.Port"/> 0 a free port is picked (retrying if another process grabs it first).</summary>
    public static Task<PlatformEmulator> StartAsync(EmulatorOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        cancellationToken.ThrowIfCancellationRequested();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<PlatformEmulator>();

        var certificate = EmulatorCertificate.Create(options.ListenAddress, options.CertificateHostNames);
        var platform = new EmulatedPlatform(options, loggerFactory, TimeProvider.System);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var port = options.Port != 0 ? options.Port : FindFreePort(options.ListenAddress);
                var host = CreateHost(platform, certificate, port, loggerFactory);
                try
                {
                    host.Open();
                    logger.LogInformation("Platform emulator listening on amqps://{Host}:{Port} for consumer groups {ConsumerGroups}",
                        options.ListenAddress, port, string.Join(", ", options.ConsumerGroups));
                    return Task.FromResult(new PlatformEmulator(platform, host, port, certificate, logger));
                }
                catch (SocketException exception) when (options.Port == 0 && attempt < PortAttempts)
                {
                    // Another process took the port between our probe and the bind.
                    logger.LogDebug(exception, "Port {Port} was taken; trying another", port);
                    host.Close();
                }
            }
        }
        catch
        {
            platform.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Pushes <paramref name="message"/> to every consumer group: one copy per group; within a group,
    /// to one randomly chosen online client with credit, or into the group's stacked queue.
    /// </summary>
    public void Publish(EmulatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.Topic, nameof(message));
        ArgumentException.ThrowIfNullOrEmpty(message.MessageId, nameof(message));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var body = message.Body.ToArray();
        foreach (var group in _platform.Groups.Values)
        {
            group.Publish(message, body);
        }
    }

    public EmulatorStats GetStats(string consumerGroup) => _platform.GetGroup(consumerGroup).GetStats();

    /// <summary>Every transfer of <paramref name="consumerGroup"/> so far, in order; empty unless <see cref="EmulatorOptions.RecordDeliveries"/> is on.</summary>
    public IReadOnlyList<DeliveryRecord> GetDeliveryLog(string consumerGroup) => _platform.GetGroup(consumerGroup).GetDeliveryLog();

    public ListenerStats GetListenerStats() => _platform.GetListenerStats();

    public IReadOnlyList<EmulatedClient> OnlineClients(string consumerGroup) => _platform.GetGroup(consumerGroup).GetClients();

    /// <summary>
    /// Completes when <paramref name="condition"/> holds for the group's stats, or throws
    /// <see cref="TimeoutException"/> naming the last stats. The condition is evaluated after every
    /// change of the group under its lock: keep it a quick, pure check.
    /// </summary>
    public Task WaitForStatsAsync(string consumerGroup, Func<EmulatorStats, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return _platform.GetGroup(consumerGroup).WaitForAsync(condition, timeout);
    }

    /// <summary>Completes once the group has accepted at least <paramref name="count"/> deliveries.</summary>
    public Task WaitForAcceptedAsync(string consumerGroup, long count, TimeSpan timeout) =>
        WaitForStatsAsync(consumerGroup, s => s.Accepted >= count, timeout);

    /// <summary>
    /// Closes the connections of <paramref name="clientId"/> (null = all) with an AMQP close carrying
    /// <paramref name="condition"/> (e.g. <c>amqp:connection:forced</c>); a client that does not answer
    /// within 5 s is dropped. Returns how many connections were closed.
    /// </summary>
    public async Task<int> CloseConnectionsAsync(string? clientId, string condition, string? description = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(condition);
        var targets = Select(clientId);
        _logger.LogInformation("Closing {Count} connection(s) of client {ClientId} with {Condition}", targets.Count, clientId ?? "(all)", condition);
        await Task.WhenAll(targets.Select(c => c.CloseAsync(new Error(new Symbol(condition)) { Description = description }, CloseGrace))).ConfigureAwait(false);
        return targets.Count;
    }

    /// <summary>A platform release/restart (spec §2.4): every connection is closed with amqp:connection:forced.</summary>
    public Task<int> ReleaseAsync(string description = "platform release") =>
        CloseConnectionsAsync(null, ErrorCode.ConnectionForced, description);

    /// <summary>
    /// Drops the TCP connections of <paramref name="clientId"/> (null = all) abruptly: a reset, no AMQP
    /// close. Their unsettled deliveries go back to the stacked queue. Returns how many were dropped.
    /// </summary>
    public int DropConnections(string? clientId)
    {
        var targets = Select(clientId);
        _logger.LogInformation("Dropping {Count} connection(s) of client {ClientId}", targets.Count, clientId ?? "(all)");
        foreach (var connection in targets) connection.Abort();
        return targets.Count;
    }

    /// <summary>
    /// Closes the listener: open connections get amqp:connection:forced and a moment to answer, the
    /// rest is dropped. Stats stay readable afterwards.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var open = _platform.Connections.Where(c => c.Connection is not null).Select(c => c.Connection!).ToList();
        var closed = open.Select(connection =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.AddClosedCallback((_, _) => done.TrySetResult());
            return done.Task;
        }).ToList();

        try
        {
            _host.Close();
        }
        catch (Exception exception)
        {
            _logger.LogWarning(exception, "Closing the listener failed");
        }

        try
        {
            await Task.WhenAll(closed).WaitAsync(CloseGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Some clients did not answer the close within {Grace}; dropping them", CloseGrace);
        }

        _platform.Dispose();
        Certificate.Dispose();
        _logger.LogInformation("Platform emulator on port {Port} stopped", Port);
    }

    /// <summary>Writes <see cref="CertificatePem"/> to <paramref name="path"/> (for clients in other processes).</summary>
    public void ExportCertificatePem(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, CertificatePem);
    }

    private List<ConnectionRules> Select(string? clientId) =>
        _platform.Connections
            .Where(c => c.IsAuthenticated && (clientId is null || string.Equals(c.Login?.ClientId, clientId, StringComparison.Ordinal)))
            .ToList();

    private static ContainerHost CreateHost(EmulatedPlatform platform, X509Certificate2 certificate, int port, ILoggerFactory loggerFactory)
    {
        var host = new ContainerHost(new Address(platform.Options.ListenAddress, port, null, null, "/", "amqps"));
        var listener = host.Listeners[0];
        listener.SSL.Certificate = certificate;
        listener.SASL.EnableMechanism(new Symbol("PLAIN"), new PlainSaslProfile(new SaslVerifier(platform.Options, platform.Faults), platform.Time));
        // The listener advertises half of this and closes a connection silent for all of it.
        listener.AMQP.IdleTimeout = (int)Math.Min(int.MaxValue, platform.IdleCloseTimeout.TotalMilliseconds);

        var connectionLogger = loggerFactory.CreateLogger<ConnectionRules>();
        listener.HandlerFactory = _ =>
        {
            // Runs once per accepted socket, in the async flow that then does TLS and SASL for it.
            var rules = new ConnectionRules(platform, connectionLogger);
            ConnectionRules.Current.Value = rules;
            return rules;
        };

        // A non-null address sends every attach, even one with no source or target, to the link processor.
        host.AddressResolver = (_, _) => string.Empty;
        host.RegisterLinkProcessor(new LinkRules(loggerFactory.CreateLogger<LinkRules>()));
        return host;
    }

    private static int FindFreePort(string listenAddress)
    {
        var address = IPAddress.TryParse(listenAddress, out var ip) ? ip : IPAddress.Loopback;
        var probe = new TcpListener(address, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }
}
