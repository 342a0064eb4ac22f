using System.Net;
using System.Net.Sockets;

namespace IotActors.Emulator.Tests.Adapter;

/// <summary>
/// A loopback TCP proxy between a client and a server that can stop forwarding without closing
/// anything (a blackhole), so a test can make a connection die silently.
/// </summary>
internal sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient A, TcpClient B)> _pairs = [];
    private volatile bool _blackhole;
    private readonly Task _acceptLoop;

    public TcpFaultProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>While true, bytes are read and thrown away in both directions; sockets stay open.</summary>
    public bool Blackhole { get => _blackhole; set => _blackhole = value; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            var outbound = new TcpClient();
            try { await outbound.ConnectAsync(_target, _stop.Token); }
            catch (Exception) { inbound.Dispose(); outbound.Dispose(); continue; }
            lock (_pairs) _pairs.Add((inbound, outbound));
            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var sink = to.GetStream();
            while (true)
            {
                var n = await source.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                if (_blackhole) continue;
                await sink.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception)
        {
            // Either side went away or the proxy stopped: end this direction.
        }
        finally
        {
            if (!_blackhole)
            {
                from.Dispose();
                to.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_pairs)
        {
            foreach (var (a, b) in _pairs) { a.Dispose(); b.Dispose(); }
        }
        try { await _acceptLoop; } catch (Exception) { }
    }
}
