using System.Diagnostics;
using IotActors.Emulator;

namespace IotActors.Bench.Traffic;

/// <summary>
/// Publishes into the emulator on a thread of its own, in one of three modes: <see cref="Saturate"/> keeps the consumer
/// group's queue topped up (the consumer never waits for traffic, the emulator never holds more than the backlog),
/// <see cref="Pace"/> offers a fixed rate (open loop: latency is measured without a queue the bench made itself), and
/// <see cref="Prime"/> sends every device of the cell its first message.
/// Every loop ends on <see cref="StopAsync"/> or at its deadline.
/// </summary>
public sealed class TrafficProducer : IAsyncDisposable
{
    private const int Batch = 500;
    private readonly PlatformEmulator _emulator;
    private readonly string _group;
    private readonly MessageFactory _factory;
    private readonly BenchCell _cell;
    private readonly BodyShape _shape;
    private CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _published;

    public TrafficProducer(PlatformEmulator emulator, string consumerGroup, MessageFactory factory, BenchCell cell, BodyShape shape)
    {
        _emulator = emulator;
        _group = consumerGroup;
        _factory = factory;
        _cell = cell;
        _shape = shape;
    }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>The current loop: completes when it ends (<see cref="Prime"/> ends by itself once every device has its message).</summary>
    public Task Completion => _loop;

    /// <summary>Keeps pending + stacked at about <paramref name="backlog"/> messages until stopped or <paramref name="deadline"/>.</summary>
    public void Saturate(int backlog, TimeSpan deadline) => Run(token =>
    {
        var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        while (!token.IsCancellationRequested && Stopwatch.GetTimestamp() < until)
        {
            var stats = _emulator.GetStats(_group);
            var missing = backlog - (stats.Pending + stats.Stacked);
            if (missing <= 0)
            {
                // The consumer is behind: give the CPU back rather than spin (2 cores are shared with it).
                Thread.Sleep(1);
                continue;
            }
            Publish(Math.Min(missing, Batch));
        }
    });

    /// <summary>
    /// Publishes one message to each of the cell's devices, in index order, keeping pending + stacked at about
    /// <paramref name="backlog"/>; ends when every device has its message, or when stopped, or at <paramref name="deadline"/>.
    /// </summary>
    public void Prime(int backlog, TimeSpan deadline) => Run(token =>
    {
        var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        var next = 0;
        while (next < _cell.Devices && !token.IsCancellationRequested && Stopwatch.GetTimestamp() < until)
        {
            var stats = _emulator.GetStats(_group);
            var missing = backlog - (stats.Pending + stats.Stacked);
            if (missing <= 0)
            {
                Thread.Sleep(1);
                continue;
            }
            var count = Math.Min(Math.Min(missing, Batch), _cell.Devices - next);
            for (var i = 0; i < count; i++) _emulator.Publish(_factory.For(next++, _shape));
            Interlocked.Add(ref _published, count);
        }
    });

    /// <summary>Publishes <paramref name="perSecond"/> messages a second, in small steps, until stopped or <paramref name="deadline"/>.</summary>
    public void Pace(double perSecond, TimeSpan deadline) => Run(token =>
    {
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        while (!token.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= until) break;
            var due = (long)((now - start) / (double)Stopwatch.Frequency * perSecond);
            if (due > sent)
            {
                var n = (int)Math.Min(due - sent, Batch);
                Publish(n);
                sent += n;
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    });

    private void Publish(int count)
    {
        for (var i = 0; i < count; i++) _emulator.Publish(_factory.Next(_cell.Devices, _shape));
        Interlocked.Add(ref _published, count);
    }

    private void Run(Action<CancellationToken> loop)
    {
        if (!_loop.IsCompleted) throw new InvalidOperationException("The producer is already running; stop it first.");
        _stop.Dispose();
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loop = Task.Factory.StartNew(() => loop(token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Stops the current loop and waits for it; the producer can then run again.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
