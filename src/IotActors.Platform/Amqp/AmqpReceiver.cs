using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Amqp;
using Amqp.Framing;
using Amqp.Handler;
using EventId = Amqp.Handler.EventId;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotActors.Platform.Amqp;

/// <summary>
/// One AMQP 1.0 connection with exactly one receiver link, over AMQPNetLite.
/// </summary>
/// <remarks>
/// <para>Maps to AMQP concepts only and holds no retry policy: when the connection ends,
/// <see cref="Completion"/> completes once with the reason, and the owner decides what next.</para>
/// <para>Credit is explicit and restored only as deliveries are settled, so un-settled deliveries
/// never exceed <see cref="ReceiverEndpoint.Credit"/>. The delivery callback runs on the connection's
/// I/O loop: it must hand the delivery off and return quickly, or heartbeats starve.</para>
/// <para>A watchdog notices a connection that died without raising AMQPNetLite's Closed event
/// (which happens after a heartbeat loss on a silent socket).</para>
/// </remarks>
public sealed class AmqpReceiver : IAsyncDisposable
{
    private const int Open = 0, Draining = 1, Closing = 2, Closed = 3;

    private readonly ReceiverEndpoint _endpoint;
    private readonly Action<ReceivedDelivery> _onDelivery;
    private readonly ILogger _logger;
    private readonly Connection _connection;
    private readonly PeerEvents _peer;
    private readonly TaskCompletionSource<ReceiverClosed> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Session _session = null!;
    private ReceiverLink _link = null!;
    private Timer? _watchdog;
    private int _state = Open;
    private int _inFlight;
    private long _sequence;
    private long _closeNoticedAtTicks;
    private TaskCompletionSource? _drained;

    private AmqpReceiver(ReceiverEndpoint endpoint, Connection connection, PeerEvents peer, Action<ReceivedDelivery> onDelivery, ILogger logger)
    {
        _endpoint = endpoint;
        _connection = connection;
        _peer = peer;
        _onDelivery = onDelivery;
        _logger = logger;
    }

    /// <summary>Completes once, when the connection or its link has ended for any reason.</summary>
    public Task<ReceiverClosed> Completion => _completion.Task;

    /// <summary>Deliveries handed to the callback and not yet settled.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Deliveries received so far on this connection.</summary>
    public long Received => Interlocked.Read(ref _sequence);

    public ReceiverEndpoint Endpoint => _endpoint;

    /// <summary>
    /// Connects (TCP, TLS, SASL PLAIN, open), attaches one receiver link within
    /// <see cref="ReceiverEndpoint.ConnectTimeout"/>, then grants credit.
    /// </summary>
    /// <exception cref="ReceiverConnectException">With the stage that failed and the AMQP condition, if any.</exception>
    public static async Task<AmqpReceiver> ConnectAsync(
        ReceiverEndpoint endpoint,
        Action<ReceivedDelivery> onDelivery,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(onDelivery);
        if (endpoint.Credit < 1) throw new ArgumentOutOfRangeException(nameof(endpoint), "Credit must be at least 1.");
        logger ??= NullLogger.Instance;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.ConnectTimeout);

        await ResolveAsync(endpoint.Host, timeout.Token).ConfigureAwait(false);

        var peer = new PeerEvents();
        var connection = await OpenConnectionAsync(endpoint, peer, timeout.Token, cancellationToken).ConfigureAwait(false);
        var receiver = new AmqpReceiver(endpoint, connection, peer, onDelivery, logger);
        try
        {
            await receiver.AttachAsync(timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            receiver.Abort();
            throw;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            receiver.Abort();
            cancellationToken.ThrowIfCancellationRequested();
        }

        receiver.Start();
        return receiver;
    }

    private static async Task ResolveAsync(string host, CancellationToken token)
    {
        if (IPAddress.TryParse(host, out _)) return;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false);
            if (addresses.Length == 0) throw new ReceiverConnectException(ConnectStage.Dns, null, $"host '{host}' has no address");
        }
        catch (SocketException e)
        {
            throw new ReceiverConnectException(ConnectStage.Dns, null, $"cannot resolve host '{host}': {e.SocketErrorCode}", e);
        }
        catch (OperationCanceledException e) when (token.IsCancellationRequested)
        {
            throw new ReceiverConnectException(ConnectStage.Dns, null, $"resolving host '{host}' timed out", e);
        }
    }

    private static async Task<Connection> OpenConnectionAsync(ReceiverEndpoint endpoint, PeerEvents peer, CancellationToken timeout, CancellationToken caller)
    {
        var factory = new ConnectionFactory();
        // AMQPNetLite advertises half of this value in its Open frame.
        factory.AMQP.IdleTimeout = checked((int)(endpoint.AdvertisedIdleTimeout.TotalMilliseconds * 2));
        factory.AMQP.ContainerId = "iotactors-" + endpoint.Name;
        factory.TCP.NoDelay = true;
        if (endpoint.UseTls)
        {
            factory.SSL.Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            factory.SSL.RemoteCertificateValidationCallback = CertificateTrust.CreateCallback(endpoint.TrustedRoots);
        }

        var address = new Address(endpoint.Host, endpoint.Port, endpoint.UserName, endpoint.Password, "/", endpoint.UseTls ? "amqps" : "amqp");
        try
        {
            return await factory.CreateAsync(address, timeout, peer).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!caller.IsCancellationRequested)
        {
            throw new ReceiverConnectException(peer.SocketConnected ? ConnectStage.Tls : ConnectStage.Tcp, null,
                $"no AMQP connection to {endpoint} within {endpoint.ConnectTimeout.TotalSeconds:0.#} s", e);
        }
        catch (AuthenticationException e)
        {
            throw new ReceiverConnectException(ConnectStage.Tls, null, "TLS handshake failed: " + e.Message, e);
        }
        catch (SocketException e)
        {
            throw new ReceiverConnectException(ConnectStage.Tcp, null, $"TCP connect to {endpoint.Host}:{endpoint.Port} failed: {e.SocketErrorCode}", e);
        }
        catch (AmqpException e)
        {
            var stage = IsSaslFailure(e.Error) ? ConnectStage.Authentication : ConnectStage.Open;
            if (!peer.SocketConnected && e.Error?.Condition == ErrorCode.ConnectionForced) stage = ConnectStage.Tcp;
            throw new ReceiverConnectException(stage, e.Error?.Condition?.ToString(), Describe(e.Error), e);
        }
        catch (IOException e)
        {
            // A peer that closes the socket during TLS or SASL (e.g. it refused the login) lands here.
            throw new ReceiverConnectException(peer.SocketConnected ? ConnectStage.Tls : ConnectStage.Tcp, null, e.Message, e);
        }
    }

    private static bool IsSaslFailure(Error? error) =>
        error?.Condition == ErrorCode.UnauthorizedAccess ||
        (error?.Description?.Contains("Sasl", StringComparison.OrdinalIgnoreCase) ?? false);

    private async Task AttachAsync(CancellationToken timeout)
    {
        var attached = new TaskCompletionSource<Error?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _connection.AddClosedCallback((_, error) => attached.TrySetResult(error ?? new Error(ErrorCode.ConnectionForced) { Description = "connection closed during attach" }));
        try
        {
            _session = new Session(_connection);
            _link = new ReceiverLink(_session, "iotactors-" + _endpoint.Name, new Source { Address = _endpoint.SourceAddress }, (_, attach) =>
            {
                // A refusing peer answers with a null source and then detaches with the reason.
                if (attach.Source is not null) attached.TrySetResult(null);
            });
            _link.AddClosedCallback((_, error) => attached.TrySetResult(error ?? new Error(ErrorCode.DetachForced) { Description = "link closed during attach" }));
        }
        catch (AmqpException e)
        {
            attached.TrySetResult(e.Error);
        }

        Error? refusal;
        using (timeout.Register(() => attached.TrySetCanceled()))
        {
            try
            {
                refusal = await attached.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                throw new ReceiverConnectException(ConnectStage.Attach, null,
                    $"receiver link not attached within {_endpoint.ConnectTimeout.TotalSeconds:0.#} s", e);
            }
        }

        if (refusal is not null)
        {
            // A Close from the peer means it refused the connection itself (e.g. idle timeout, limits).
            var stage = _connection.IsClosed || _peer.RemoteCloseError is not null ? ConnectStage.Open : ConnectStage.Attach;
            var error = _peer.RemoteCloseError ?? refusal;
            throw new ReceiverConnectException(stage, error.Condition?.ToString(), Describe(error));
        }
    }

    private void Start()
    {
        _connection.AddClosedCallback((_, error) => OnEnded(error, noticedByWatchdog: false));
        _link.AddClosedCallback((_, error) => OnEnded(error, noticedByWatchdog: false));
        _link.Start(_endpoint.Credit, OnMessage);
        if (_endpoint.CreditRestoreThreshold is { } threshold)
        {
            // Same total credit (no new flow is sent); only the restore point changes.
            _link.SetCredit(_endpoint.Credit, CreditMode.Auto, Math.Clamp(threshold, 1, _endpoint.Credit));
        }
        _watchdog = new Timer(_ => Watch(), null, _endpoint.WatchdogInterval, _endpoint.WatchdogInterval);
        _logger.LogInformation("Receiver {Endpoint} attached with credit {Credit}", _endpoint, _endpoint.Credit);
    }

    private void OnMessage(IReceiverLink link, Message message)
    {
        var receivedTimestamp = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        var iot = IotMessageReader.Read(message, out var failure);
        var delivery = new ReceivedDelivery(Interlocked.Increment(ref _sequence), DateTimeOffset.UtcNow, receivedTimestamp, message, iot, failure);
        try
        {
            _onDelivery(delivery);
        }
        catch (Exception e)
        {
            // The callback runs on the I/O loop; an exception here must not take the connection down.
            _logger.LogError(e, "Delivery callback of {Endpoint} threw for delivery {Sequence}; releasing it", _endpoint, delivery.Sequence);
            Release(delivery);
        }
    }

    /// <summary>Settles the delivery as accepted. False when it was already settled or the link is gone (the platform will redeliver).</summary>
    public bool Accept(ReceivedDelivery delivery) => Settle(delivery, accept: true);

    /// <summary>Settles the delivery as released: the platform redelivers it later.</summary>
    public bool Release(ReceivedDelivery delivery) => Settle(delivery, accept: false);

    private bool Settle(ReceivedDelivery delivery, bool accept)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (!delivery.TryMarkSettled()) return false;
        var done = false;
        if (Volatile.Read(ref _state) <= Draining && !_link.IsClosed)
        {
            try
            {
                if (accept) _link.Accept(delivery.Transport);
                else _link.Release(delivery.Transport);
                done = true;
            }
            catch (Exception e) when (e is AmqpException or InvalidOperationException or ObjectDisposedException)
            {
                // The link started closing under us ("not valid under state DetachSent"): the platform redelivers.
                _logger.LogDebug("Could not settle delivery {Sequence} on {Endpoint}: {Reason}", delivery.Sequence, _endpoint, e.Message);
            }
        }

        if (Interlocked.Decrement(ref _inFlight) == 0) _drained?.TrySetResult();
        return done;
    }

    /// <summary>
    /// Stops the flow of new deliveries (drains the peer's credit to zero) while the link stays attached,
    /// so in-flight deliveries can still be settled. Follow with <see cref="CloseAsync"/>.
    /// </summary>
    public void StopCredit()
    {
        if (Interlocked.CompareExchange(ref _state, Draining, Open) != Open) return;
        try
        {
            // Total credit 0 in Auto mode: nothing is restored any more, while the credit the peer still holds
            // stays valid. (Drain mode zeroes the local credit at once, so a transfer already on the wire is then
            // refused with transfer-limit-exceeded and the link closes with an error.)
            _link.SetCredit(0, CreditMode.Auto);
        }
        catch (Exception e) when (e is AmqpException or InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogDebug("Drain on {Endpoint} failed: {Reason}", _endpoint, e.Message);
        }
    }

    /// <summary>
    /// Graceful close: stop credit (drain), wait up to <paramref name="drainTimeout"/> for in-flight
    /// deliveries to be settled, then detach and close. Never throws for a link or connection that is
    /// already closing. What is still unsettled afterwards is redelivered by the platform.
    /// </summary>
    public async Task CloseAsync(TimeSpan drainTimeout)
    {
        if (Volatile.Read(ref _state) >= Closing) { await WaitEndedAsync().ConfigureAwait(false); return; }

        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _drained = drained;
        StopCredit();

        if (InFlight > 0 && !_completion.Task.IsCompleted)
        {
            await Task.WhenAny(drained.Task, _completion.Task, Task.Delay(drainTimeout)).ConfigureAwait(false);
        }

        Volatile.Write(ref _state, Closing);
        var left = InFlight;
        if (left > 0) _logger.LogWarning("Closing {Endpoint} with {InFlight} unsettled deliveries; the platform will redeliver them", _endpoint, left);

        try
        {
            if (!_link.IsClosed) await _link.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmqpException or InvalidOperationException or TimeoutException or ObjectDisposedException)
        {
            _logger.LogDebug("Detach of {Endpoint} did not complete cleanly: {Reason}", _endpoint, e.Message);
        }
        try
        {
            if (!_connection.IsClosed) await _connection.CloseAsync(TimeSpan.FromSeconds(5), null).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmqpException or InvalidOperationException or TimeoutException or ObjectDisposedException)
        {
            _logger.LogDebug("Close of {Endpoint} did not complete cleanly: {Reason}", _endpoint, e.Message);
        }
        OnEnded(_connection.Error, noticedByWatchdog: false, closedByUs: true);
    }

    private async Task WaitEndedAsync()
    {
        if (Volatile.Read(ref _state) == Closed) return;
        await Task.WhenAny(_completion.Task, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
    }

    /// <summary>Closes at once without draining (what is unsettled is redelivered by the platform).</summary>
    public void Abort()
    {
        Volatile.Write(ref _state, Closing);
        try
        {
            // Close(TimeSpan.Zero) sends Close and does not wait: safe from any thread.
            if (!_connection.IsClosed) _connection.Close(TimeSpan.Zero, null);
        }
        catch (Exception e) when (e is AmqpException or InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogDebug("Abort of {Endpoint}: {Reason}", _endpoint, e.Message);
        }
        OnEnded(_connection.Error, noticedByWatchdog: false, closedByUs: true);
    }

    private void Watch()
    {
        if (_completion.Task.IsCompleted) return;
        var dead = _connection.IsClosed || _session.IsClosed || _link.IsClosed || _connection.Error is not null;
        if (!dead) return;

        // Give the library's own Closed event a moment to arrive first; after a heartbeat loss it may never come.
        var now = Environment.TickCount64;
        var first = Interlocked.CompareExchange(ref _closeNoticedAtTicks, now, 0);
        if (first == 0) return;
        if (now - first < _endpoint.WatchdogInterval.TotalMilliseconds) return;

        _logger.LogWarning("Watchdog: {Endpoint} is closed but no Closed event arrived; ending it", _endpoint);
        OnEnded(_connection.Error ?? _link.Error, noticedByWatchdog: true);
        try { _connection.Close(TimeSpan.Zero, null); }
        catch (Exception e) when (e is AmqpException or InvalidOperationException or ObjectDisposedException) { }
    }

    private void OnEnded(Error? error, bool noticedByWatchdog, bool closedByUs = false)
    {
        var previous = Interlocked.Exchange(ref _state, Closed);
        var byUs = closedByUs || previous == Closing;
        var remote = _peer.RemoteCloseError ?? _peer.RemoteDetachError;
        var reason = remote ?? error;
        var closed = new ReceiverClosed(reason?.Condition?.ToString(), reason?.Description, remote is not null, byUs, noticedByWatchdog);
        if (!_completion.TrySetResult(closed)) return;

        _watchdog?.Dispose();
        _drained?.TrySetResult();
        if (byUs) _logger.LogInformation("Receiver {Endpoint} closed", _endpoint);
        else _logger.LogWarning("Receiver {Endpoint} lost: {Reason}", _endpoint, closed);

        // The link can end while the connection lives on (e.g. a forced detach): without a link it is useless.
        if (!_connection.IsClosed)
        {
            _ = Task.Run(() =>
            {
                try { _connection.Close(TimeSpan.Zero, null); }
                catch (Exception e) when (e is AmqpException or InvalidOperationException or ObjectDisposedException) { }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    private static string Describe(Error? error) =>
        error is null ? "closed without an error" : $"{error.Condition}{(error.Description is null ? "" : ": " + error.Description)}";

    /// <summary>Records what the peer really sent, to tell a Close frame from a lost socket.</summary>
    private sealed class PeerEvents : IHandler
    {
        private volatile Error? _remoteCloseError;
        private volatile Error? _remoteDetachError;
        private volatile bool _socketConnected;

        public Error? RemoteCloseError => _remoteCloseError;
        public Error? RemoteDetachError => _remoteDetachError;
        public bool SocketConnected => _socketConnected;

        public bool CanHandle(EventId id) => id is EventId.ConnectionRemoteClose or EventId.LinkRemoteClose or EventId.SocketConnect;

        public void Handle(Event protocolEvent)
        {
            switch (protocolEvent.Id)
            {
                case EventId.SocketConnect:
                    _socketConnected = true;
                    break;
                case EventId.ConnectionRemoteClose when protocolEvent.Context is Close close:
                    _remoteCloseError = close.Error ?? new Error(ErrorCode.ConnectionForced) { Description = "peer closed the connection" };
                    break;
                case EventId.LinkRemoteClose when protocolEvent.Context is Detach { Error: not null } detach:
                    _remoteDetachError = detach.Error;
                    break;
            }
        }
    }
}
