using System.Net.Sockets;
using System.Security.Principal;
using Amqp;
using Amqp.Framing;
using Amqp.Handler;
using Amqp.Listener;
using IotActors.Emulator.Authentication;
using IotActors.Emulator.Delivery;
using IotActors.Platform.Credentials;
using Microsoft.Extensions.Logging;
using EventId = Amqp.Handler.EventId;

namespace IotActors.Emulator.Connections;

/// <summary>
/// The life of one accepted socket under the platform's connection rules (spec §2.2): authentication
/// within a deadline, the connect-attempt budget, the client's idle-time-out range, the client limit
/// of its consumer group, a receiver attached within a deadline, one receiver link only.
/// It is the connection's <see cref="IHandler"/>, created by the listener's handler factory for each
/// accepted socket, which also makes it reachable from the SASL profile through <see cref="Current"/>.
/// </summary>
/// <remarks>
/// Handler callbacks run on the connection's I/O loop, so refusals use <c>Close(TimeSpan.Zero, error)</c>:
/// a waiting close there would block the loop it waits for.
/// </remarks>
internal sealed class ConnectionRules : IHandler
{
    /// <summary>
    /// The connection whose SASL exchange runs in this async flow. Set by the handler factory, which
    /// runs in the same flow as the TLS handshake and SASL negotiation of its socket.
    /// </summary>
    public static readonly AsyncLocal<ConnectionRules?> Current = new();

    private const string PropertyKey = "IotActors.Emulator.ConnectionRules";

    /// <summary>How long a client gets to answer the emulator's close before its socket is dropped.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly EmulatedPlatform _platform;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Socket? _socket;
    private Timer? _authenticationTimer;
    private Timer? _attachTimer;
    private Error? _refusal;
    private GroupMessageSource? _receiver;
    private bool _receiverEverAttached;
    private bool _ended;

    public ConnectionRules(EmulatedPlatform platform, ILogger logger)
    {
        _platform = platform;
        _logger = logger;
        Id = platform.Register(this);
    }

    public long Id { get; }

    public UserName? Login { get; private set; }

    public ConsumerGroup? Group { get; private set; }

    public GroupClient? Client { get; private set; }

    public IPrincipal? Principal { get; private set; }

    public ListenerConnection? Connection { get; private set; }

    public bool IsAuthenticated => Connection is not null;

    public static ConnectionRules? Of(Connection connection) =>
        connection is ListenerConnection listenerConnection && listenerConnection.Properties.TryGetValue(PropertyKey, out var value)
            ? value as ConnectionRules
            : null;

    public bool CanHandle(EventId id) => id is EventId.SocketAccept or EventId.ConnectionAccept or EventId.ConnectionRemoteOpen;

    public void Handle(Event protocolEvent)
    {
        try
        {
            switch (protocolEvent.Id)
            {
                case EventId.SocketAccept when protocolEvent.Context is Socket socket:
                    OnSocketAccepted(socket);
                    break;
                case EventId.ConnectionAccept when protocolEvent.Connection is ListenerConnection connection:
                    OnAuthenticated(connection);
                    break;
                case EventId.ConnectionRemoteOpen when protocolEvent.Context is Open open && protocolEvent.Connection is ListenerConnection connection:
                    OnRemoteOpen(connection, open);
                    break;
            }
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Connection {ConnectionId}: handling {Event} failed", Id, protocolEvent.Id);
            protocolEvent.Connection?.Close(TimeSpan.Zero, new Error(ErrorCode.InternalError) { Description = "emulator failure" });
        }
    }

    /// <summary>
    /// Called by the SASL profile with the verdict on the login; true lets SASL succeed. A login over the
    /// group's connect-attempt budget still succeeds here and is refused right after the Open with
    /// amqp:resource-limit-exceeded, which a client can tell apart from bad credentials.
    /// </summary>
    public bool CompleteLogin(AuthenticationOutcome outcome)
    {
        var group = outcome.NamedGroup is { } named ? _platform.GetGroup(named) : null;
        var withinBudget = group?.RecordConnectAttempt() ?? true;
        if (!outcome.Succeeded)
        {
            _platform.RecordAuthenticationFailure();
            group?.RecordAuthenticationFailure();
            _logger.LogWarning("Connection {ConnectionId}: login refused for client {ClientId} of group {ConsumerGroup}: {Reason}",
                Id, outcome.Login?.ClientId, outcome.Login?.ConsumerGroupId, outcome.FailureReason);
            // The listener drops the socket after a failed SASL outcome.
            End();
            return false;
        }

        var login = outcome.Login!;
        Login = login;
        Group = group;
        Principal = new GenericPrincipal(new ConsumerIdentity(login.ClientId, login.ConsumerGroupId, login.AuthId), []);
        if (!withinBudget)
        {
            _refusal = new Error(ErrorCode.ResourceLimitExceeded)
            {
                Description = $"more than {_platform.Options.MaxConnectAttemptsPerMinutePerGroup} connection attempts per minute for consumer group {login.ConsumerGroupId}",
            };
        }
        return true;
    }

    /// <summary>The one receiver of this connection; everything else is refused with amqp:not-allowed.</summary>
    public void AttachReceiver(AttachContext attachContext)
    {
        // Attach.Role is the client's role: true = receiver.
        if (!attachContext.Attach.Role)
        {
            Refuse(attachContext, "sender links are not allowed: the platform only pushes messages to receivers");
            return;
        }

        GroupMessageSource source;
        lock (_gate)
        {
            if (_ended || Group is null || Client is null)
            {
                Refuse(attachContext, "the connection was refused; no links can be attached");
                return;
            }
            if (_receiver is { } existing && !existing.Link.IsClosed)
            {
                Refuse(attachContext, "only one receiver link per connection is allowed");
                return;
            }
            source = new GroupMessageSource(Group, Client, attachContext.Link, _logger);
            _receiver = source;
            _receiverEverAttached = true;
            StopTimer(ref _attachTimer);
        }

        // Known to the group before the client sees the attach, so a publish right after it is real-time.
        source.Group.AddReceiver(source);
        // Closed callbacks run before the listener releases the link's unsettled deliveries, so
        // those are requeued without being offered back to this dying link.
        attachContext.Link.AddClosedCallback((_, _) => source.Group.RemoveReceiver(source));
        attachContext.Complete(new GroupLinkEndpoint(source), 0);
        _logger.LogInformation("Connection {ConnectionId}: client {ClientId} attached receiver {LinkName} to group {ConsumerGroup}",
            Id, Login?.ClientId, attachContext.Attach.LinkName, Group.Id);
    }

    /// <summary>Closes with an AMQP close frame carrying <paramref name="error"/>; drops the socket if the client does not answer within <paramref name="grace"/>.</summary>
    public async Task CloseAsync(Error error, TimeSpan grace)
    {
        var connection = Connection;
        if (connection is null)
        {
            Abort();
            return;
        }
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.AddClosedCallback((_, _) => closed.TrySetResult());
        try
        {
            // Zero wait: this may run on the connection's own I/O loop, which a waiting close would block.
            connection.Close(TimeSpan.Zero, error);
            await closed.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Connection {ConnectionId}: client did not answer the close within {Grace}; dropping the socket", Id, grace);
            Abort();
        }
        catch (Exception exception) when (exception is AmqpException or ObjectDisposedException or InvalidOperationException)
        {
            _logger.LogDebug(exception, "Connection {ConnectionId}: close failed; dropping the socket", Id);
            Abort();
        }
    }

    /// <summary>Drops the TCP connection with a reset: no AMQP close, no TLS close_notify.</summary>
    public void Abort()
    {
        Socket? socket;
        lock (_gate) socket = _socket;
        if (socket is null) return;
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
        {
            // Already gone; closing below is still harmless.
        }
        socket.Close();
    }

    /// <summary>Stops the timers and drops the socket: the emulator is shutting down.</summary>
    public void Terminate()
    {
        End();
        Abort();
    }

    private void OnSocketAccepted(Socket socket)
    {
        lock (_gate)
        {
            _socket = socket;
            _authenticationTimer = new Timer(_ => OnAuthenticationTimeout(), null, _platform.AuthenticationTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnAuthenticationTimeout()
    {
        Socket? socket;
        lock (_gate)
        {
            if (_ended || Connection is not null) return;
            socket = _socket;
        }
        End();
        // The listener disposes the socket itself when TLS or SASL fails; only a live one timed out.
        if (socket is null || socket.SafeHandle.IsClosed) return;
        _platform.RecordAuthenticationTimeout();
        _logger.LogWarning("Connection {ConnectionId}: TLS and SASL not completed within {Timeout}; closing the socket", Id, _platform.AuthenticationTimeout);
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
        {
            // Raced with the listener closing it.
        }
        socket.Close();
    }

    private void OnAuthenticated(ListenerConnection connection)
    {
        lock (_gate)
        {
            StopTimer(ref _authenticationTimer);
            Connection = connection;
            // Started here rather than at the client's Open, so a client that authenticates and then
            // never opens is closed as well.
            if (!_ended)
            {
                _attachTimer = new Timer(_ => OnAttachTimeout(), null, _platform.AttachTimeout, Timeout.InfiniteTimeSpan);
            }
        }
        // Written before the connection's I/O loop starts, read only on that loop afterwards.
        connection.Properties[PropertyKey] = this;
        connection.AddClosedCallback((_, error) => OnClosed(error));
    }

    private void OnRemoteOpen(ListenerConnection connection, Open open)
    {
        var error = _refusal ?? CheckIdleTimeout(open) ?? CheckLogin();
        GroupClient? client = null;
        if (error is null)
        {
            client = Group!.TryAddClient(Login!.ClientId, Id);
            if (client is null)
            {
                error = new Error(ErrorCode.ResourceLimitExceeded)
                {
                    Description = $"consumer group {Group.Id} already has {_platform.Options.MaxClientsPerGroup} clients online (the maximum)",
                };
            }
        }

        if (error is not null)
        {
            _logger.LogWarning("Connection {ConnectionId}: client {ClientId} refused after open: {Condition} {Description}",
                Id, Login?.ClientId, error.Condition, error.Description);
            _ = CloseAsync(error, CloseGrace);
            return;
        }

        bool ended;
        lock (_gate)
        {
            Client = client;
            ended = _ended;
        }
        if (ended)
        {
            // Closed while being admitted: OnClosed may have missed the client.
            Group!.RemoveClient(client!);
            return;
        }
        _logger.LogInformation("Connection {ConnectionId}: client {ClientId} of group {ConsumerGroup} connected (idle-time-out {IdleTimeout} ms)",
            Id, Login!.ClientId, Group!.Id, open.IdleTimeOut);
    }

    private Error? CheckIdleTimeout(Open open)
    {
        var min = (uint)_platform.Options.MinIdleTimeout.TotalMilliseconds;
        var max = (uint)_platform.Options.MaxIdleTimeout.TotalMilliseconds;
        if (open.IdleTimeOut >= min && open.IdleTimeOut <= max) return null;
        var given = open.IdleTimeOut == 0 ? "idle-time-out is missing" : $"idle-time-out {open.IdleTimeOut} ms is out of range";
        return new Error(ErrorCode.InvalidField) { Description = $"{given}; the platform requires {min}–{max} ms" };
    }

    private Error? CheckLogin() =>
        Login is null || Group is null
            ? new Error(ErrorCode.UnauthorizedAccess) { Description = "the connection is not authenticated" }
            : null;

    private void OnAttachTimeout()
    {
        ListenerConnection? connection;
        lock (_gate)
        {
            if (_ended || _receiverEverAttached) return;
            connection = Connection;
        }
        if (connection is null) return;
        _logger.LogWarning("Connection {ConnectionId}: no receiver attached within {Timeout}; closing", Id, _platform.AttachTimeout);
        _ = CloseAsync(new Error(ErrorCode.ResourceLimitExceeded)
        {
            Description = $"no receiver link attached within {_platform.AttachTimeout.TotalSeconds:0.###} s",
        }, CloseGrace);
    }

    private void OnClosed(Error? error)
    {
        End();
        GroupClient? client;
        lock (_gate) client = Client;
        if (client is not null) Group?.RemoveClient(client);
        _logger.LogInformation("Connection {ConnectionId}: client {ClientId} disconnected ({Condition} {Description})",
            Id, Login?.ClientId, error?.Condition, error?.Description);
    }

    /// <summary>Stops the timers and forgets the connection; safe to call more than once.</summary>
    private void End()
    {
        lock (_gate)
        {
            _ended = true;
            StopTimer(ref _authenticationTimer);
            StopTimer(ref _attachTimer);
        }
        _platform.Unregister(Id);
    }

    private static void Refuse(AttachContext attachContext, string description) =>
        attachContext.Complete(new Error(ErrorCode.NotAllowed) { Description = description });

    private static void StopTimer(ref Timer? timer)
    {
        timer?.Dispose();
        timer = null;
    }
}
