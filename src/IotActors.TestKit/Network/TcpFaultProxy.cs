using System.Net;
using System.Net.Sockets;

namespace IotActors.TestKit.Network;

/// <summary>
/// A loopback TCP proxy between a consumer and the platform that misbehaves on demand while traffic flows:
/// delay, blackhole, slow reads, refusing new connections (<see cref="Mode"/>), and dropping or resetting every
/// open connection (<see cref="DropAll"/>, <see cref="ResetAll"/>). Point the consumer at <see cref="Port"/>.
/// TLS passes through untouched, so the platform's certificate is still the one checked.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private const int ChunkSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Pair> _pairs = [];
    private readonly Task _acceptLoop;
    private volatile NetworkFault _mode;
    private long _latencyTicks = TimeSpan.FromMilliseconds(200).Ticks;
    private int _slowBytesPerSecond = 2048;

    /// <param name="target">The platform's endpoint.</param>
    public TcpFaultProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The loopback port to connect to instead of the platform's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The fault applied to traffic from now on. <b>Default:</b> <see cref="NetworkFault.None"/>.</summary>
    public NetworkFault Mode { get => _mode; set => _mode = value; }

    /// <summary>Added to every forwarded chunk in <see cref="NetworkFault.Delay"/>. <b>Default:</b> 200 ms.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _latencyTicks, value.Ticks);
        }
    }

    /// <summary>Platform-to-client rate in <see cref="NetworkFault.SlowReads"/>. <b>Default:</b> 2,048 bytes/s.</summary>
    public int SlowBytesPerSecond
    {
        get => Volatile.Read(ref _slowBytesPerSecond);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _slowBytesPerSecond, value);
        }
    }

    /// <summary>Connections currently proxied.</summary>
    public int OpenConnections
    {
        get { lock (_pairs) return _pairs.Count; }
    }

    /// <summary>Closes every open connection in an orderly way (FIN both sides). Returns how many.</summary>
    public int DropAll() => CloseAll(reset: false);

    /// <summary>Resets every open connection (RST both sides), as a crashed middlebox would. Returns how many.</summary>
    public int ResetAll() => CloseAll(reset: true);

    /// <summary>Back to <see cref="NetworkFault.None"/>.</summary>
    public void Heal() => Mode = NetworkFault.None;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        CloseAll(reset: false);
        try { await _acceptLoop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private int CloseAll(bool reset)
    {
        Pair[] pairs;
        lock (_pairs)
        {
            pairs = [.. _pairs];
            _pairs.Clear();
        }
        foreach (var pair in pairs) pair.Close(reset);
        return pairs.Length;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inbound;
            try { inbound = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }

            if (_mode == NetworkFault.RefuseNew)
            {
                inbound.Dispose();
                continue;
            }
            var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try { await outbound.ConnectAsync(_target, _stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            inbound.NoDelay = true;
            var pair = new Pair(inbound, outbound);
            lock (_pairs) _pairs.Add(pair);
            _ = PumpAsync(pair, inbound, outbound, towardsClient: false);
            _ = PumpAsync(pair, outbound, inbound, towardsClient: true);
        }
    }

    private async Task PumpAsync(Pair pair, Socket from, Socket to, bool towardsClient)
    {
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                var mode = _mode;
                // Slow reads: take small bites, so the platform's side backs up as it would behind a slow reader.
                var size = mode == NetworkFault.SlowReads && towardsClient ? Math.Min(ChunkSize, Math.Max(1, SlowBytesPerSecond / 10)) : ChunkSize;
                var n = await from.ReceiveAsync(buffer.AsMemory(0, size), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0) break;
                switch (_mode)
                {
                    case NetworkFault.Blackhole:
                        continue;
                    case NetworkFault.Delay:
                        await Task.Delay(Latency, _stop.Token).ConfigureAwait(false);
                        break;
                    case NetworkFault.SlowReads when towardsClient:
                        await Task.Delay(TimeSpan.FromSeconds((double)n / SlowBytesPerSecond), _stop.Token).ConfigureAwait(false);
                        break;
                }
                var sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A side went away, the pair was closed, or the proxy stopped: end this direction.
        }
        // One direction ended (peer closed): close both, unless the blackhole is meant to keep them hanging.
        if (_mode != NetworkFault.Blackhole)
        {
            lock (_pairs) _pairs.Remove(pair);
            pair.Close(reset: false);
        }
    }

    private sealed class Pair(Socket client, Socket server)
    {
        private int _closed;

        public void Close(bool reset)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return;
            foreach (var socket in new[] { client, server })
            {
                try
                {
                    // Linger 0 turns the close into a RST.
                    if (reset) socket.LingerState = new LingerOption(true, 0);
                    else socket.Shutdown(SocketShutdown.Both);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // Already gone.
                }
                socket.Dispose();
            }
        }
    }
}
