using System.Net;
using System.Net.Sockets;
using IotActors.TestKit.Network;

namespace IotActors.Chaos.Tests.TestKit;

/// <summary>The proxy against a real echo server on loopback.</summary>
public sealed class TcpFaultProxyTests : IAsyncLifetime
{
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private TcpFaultProxy _proxy = null!;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Task InitializeAsync()
    {
        _echo.Start();
        _ = EchoAsync();
        _proxy = new TcpFaultProxy((IPEndPoint)_echo.LocalEndpoint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _stop.Cancel();
        _echo.Stop();
    }

    private async Task EchoAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _echo.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                var buffer = new byte[1024];
                try
                {
                    int n;
                    while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                        await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                }
                catch (Exception) { }
                socket.Dispose();
            });
        }
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _proxy.Port);
        return socket;
    }

    private static async Task<string> RoundTripAsync(Socket socket, string text)
    {
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), SocketFlags.None);
        var buffer = new byte[text.Length];
        var read = 0;
        using var cts = new CancellationTokenSource(Timeout);
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            if (n == 0) break;
            read += n;
        }
        return System.Text.Encoding.ASCII.GetString(buffer, 0, read);
    }

    [Fact]
    public async Task Bytes_pass_unchanged_and_also_when_delayed_or_trickled()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("hello", await RoundTripAsync(socket, "hello"));
        _proxy.Latency = TimeSpan.FromMilliseconds(20);
        _proxy.Mode = NetworkFault.Delay;
        Assert.Equal("delayed", await RoundTripAsync(socket, "delayed"));
        _proxy.SlowBytesPerSecond = 100;
        _proxy.Mode = NetworkFault.SlowReads;
        Assert.Equal("slow", await RoundTripAsync(socket, "slow"));
    }

    [Fact]
    public async Task A_blackhole_swallows_bytes_but_keeps_the_connection_open()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("up", await RoundTripAsync(socket, "up"));
        _proxy.Mode = NetworkFault.Blackhole;
        await socket.SendAsync("lost"u8.ToArray(), SocketFlags.None);
        var buffer = new byte[16];
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await socket.ReceiveAsync(buffer, SocketFlags.None, shortWait.Token));
        Assert.Equal(1, _proxy.OpenConnections);
    }

    [Fact]
    public async Task Reset_ends_every_open_connection_with_an_error()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("up", await RoundTripAsync(socket, "up"));
        Assert.Equal(1, _proxy.ResetAll());
        var buffer = new byte[16];
        using var cts = new CancellationTokenSource(Timeout);
        var error = await Record.ExceptionAsync(async () =>
        {
            // A reset shows as ECONNRESET, or as end of stream if the RST raced the read.
            if (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) != 0) throw new InvalidOperationException("data after reset");
            throw new SocketException((int)SocketError.ConnectionReset);
        });
        Assert.IsType<SocketException>(error);
    }

    [Fact]
    public async Task Refusing_new_connections_closes_them_at_once_while_old_ones_keep_working()
    {
        using var old = await ConnectAsync();
        Assert.Equal("old", await RoundTripAsync(old, "old"));
        _proxy.Mode = NetworkFault.RefuseNew;
        using var refused = await ConnectAsync();
        var buffer = new byte[4];
        using var cts = new CancellationTokenSource(Timeout);
        var n = await Record.ExceptionAsync(async () =>
        {
            if (await refused.ReceiveAsync(buffer, SocketFlags.None, cts.Token) != 0) throw new InvalidOperationException("refused connection answered");
        });
        Assert.True(n is null or SocketException, n?.ToString());
        Assert.Equal("still", await RoundTripAsync(old, "still"));
    }
}
