using System.Diagnostics;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Amqp;
using Amqp.Framing;
using IotActors.Bench.Measurement;
using IotActors.Platform.Amqp;
using IotActors.Platform.Options;

namespace IotActors.Bench.Scenarios;

/// <summary>
/// Bare AMQPNetLite: one <see cref="Connection"/>, <see cref="Session"/> and <see cref="ReceiverLink"/> per client ID,
/// <c>link.Start(credit, callback)</c> (automatic credit restore, as the vendor sample and our adapter use), and the
/// callback accepts the message. With <c>decodeBody</c> it is the vendor .NET sample's callback: read topic and
/// messageId, decode the body as UTF-8 and parse it as JSON, then accept. Latency is the callback's own duration,
/// from its entry to the return of <c>Accept</c>.
/// </summary>
public sealed class RawReceiver(PlatformOptions platform, System.Security.Cryptography.X509Certificates.X509Certificate2Collection roots,
    bool decodeBody, LatencyRecorder latency) : IConsumerUnderTest
{
    private readonly List<Connection> _connections = [];
    private long _decoded, _failures;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(platform.ClientIds.Select(clientId => ConnectAsync(clientId, cancellationToken)));
    }

    private async Task ConnectAsync(string clientId, CancellationToken cancellationToken)
    {
        // A freshly signed login, exactly what the production adapter sends.
        var endpoint = platform.CreateEndpoint(clientId, roots);
        var factory = new ConnectionFactory();
        factory.AMQP.IdleTimeout = 120_000; // the vendor sample's value
        factory.AMQP.ContainerId = "bench-" + clientId;
        // Same socket settings as the production adapter, so scenarios differ only in what the callback does.
        factory.TCP.NoDelay = true;
        factory.SSL.Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        factory.SSL.RemoteCertificateValidationCallback = CertificateTrust.CreateCallback(endpoint.TrustedRoots);
        var address = new Address(endpoint.Host, endpoint.Port, endpoint.UserName, endpoint.Password, "/", "amqps");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.ConnectTimeout);
        var connection = await factory.CreateAsync(address, timeout.Token);
        lock (_connections) _connections.Add(connection);

        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var session = new Session(connection);
        var link = new ReceiverLink(session, "bench-" + clientId, new Source(), (_, attach) =>
        {
            if (attach.Source is not null) attached.TrySetResult();
            else attached.TrySetException(new InvalidOperationException($"attach of {clientId} refused"));
        });
        link.AddClosedCallback((_, error) => attached.TrySetException(new InvalidOperationException($"link {clientId} closed: {error}")));
        await attached.Task.WaitAsync(timeout.Token);
        link.Start(endpoint.Credit, decodeBody ? OnMessageDecoding : OnMessage);
    }

    private void OnMessage(IReceiverLink link, Message message)
    {
        var started = Stopwatch.GetTimestamp();
        link.Accept(message);
        latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void OnMessageDecoding(IReceiverLink link, Message message)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // The vendor sample: properties, then the body as text; we also parse the JSON it would hand on.
            var messageId = message.ApplicationProperties["messageId"]?.ToString();
            var topic = message.ApplicationProperties["topic"]?.ToString();
            var text = Encoding.UTF8.GetString((byte[])message.Body);
            using var json = JsonDocument.Parse(text);
            if (messageId is not null && topic is not null && json.RootElement.TryGetProperty("items", out _)) Interlocked.Increment(ref _decoded);
        }
        catch (Exception e) when (e is JsonException or InvalidCastException)
        {
            Interlocked.Increment(ref _failures);
        }
        link.Accept(message);
        latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public IReadOnlyDictionary<string, long> Counters() => decodeBody
        ? new Dictionary<string, long> { ["decoded"] = Interlocked.Read(ref _decoded), ["decode_failures"] = Interlocked.Read(ref _failures) }
        : new Dictionary<string, long>();

    public async ValueTask DisposeAsync()
    {
        List<Connection> connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections.Select(async c =>
        {
            try { await c.CloseAsync(TimeSpan.FromSeconds(5), null); }
            catch (Exception e) when (e is AmqpException or TimeoutException or ObjectDisposedException or InvalidOperationException) { }
        }));
    }
}
