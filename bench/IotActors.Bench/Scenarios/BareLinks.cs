using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Amqp;
using Amqp.Framing;
using IotActors.Platform.Amqp;
using IotActors.Platform.Options;

namespace IotActors.Bench.Scenarios;

/// <summary>
/// Bare AMQPNetLite connections for the scenarios that bypass the pipeline: one <see cref="Connection"/>,
/// <see cref="Session"/> and <see cref="ReceiverLink"/> per client ID, with the production adapter's login and socket
/// settings, and <c>link.Start(credit, callback)</c> (automatic credit restore, as the vendor sample and our adapter
/// use). Scenarios built on it differ only in what their callback does.
/// </summary>
public sealed class BareLinks(PlatformOptions platform, X509Certificate2Collection roots) : IAsyncDisposable
{
    private readonly List<Connection> _connections = [];

    /// <summary>Opens every client ID's link; <paramref name="onMessage"/> receives the messages of all of them.</summary>
    public Task OpenAsync(MessageCallback onMessage, CancellationToken cancellationToken) => OpenAsync(_ => onMessage, cancellationToken);

    /// <summary>Opens every client ID's link, each with the callback <paramref name="callbackFor"/> gives for its client ID.</summary>
    public Task OpenAsync(Func<string, MessageCallback> callbackFor, CancellationToken cancellationToken) =>
        Task.WhenAll(platform.ClientIds.Select(clientId => OpenAsync(clientId, callbackFor(clientId), cancellationToken)));

    private async Task OpenAsync(string clientId, MessageCallback onMessage, CancellationToken cancellationToken)
    {
        // A freshly signed login, exactly what the production adapter sends.
        var endpoint = platform.CreateEndpoint(clientId, roots);
        var factory = new ConnectionFactory();
        factory.AMQP.IdleTimeout = 120_000; // the vendor sample's value
        factory.AMQP.ContainerId = "bench-" + clientId;
        // Same socket settings as the production adapter.
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
        link.Start(endpoint.Credit, onMessage);
    }

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
