using System.Collections.Concurrent;
using System.Diagnostics;
using Amqp;

namespace IotActors.Emulator.Tests.Emulator;

/// <summary>
/// Receives on a link with the library's callback (accepting each message, as the vendor samples do)
/// and records what arrived and when, so a test can wait for a count instead of sleeping.
/// </summary>
internal sealed class RecordingConsumer
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<(string MessageId, TimeSpan At)> _received = new();
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public RecordingConsumer(ReceiverLink link, int credit, bool accept = true)
    {
        link.Start(credit, (receiver, message) =>
        {
            _received.Enqueue((EmulatorClient.MessageIdOf(message), _clock.Elapsed));
            if (accept) receiver.Accept(message);
            Signal();
        });
    }

    /// <summary>The clock <see cref="Received"/> times are measured on.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<(string MessageId, TimeSpan At)> Received => [.. _received];

    public IReadOnlyList<string> MessageIds => [.. _received.Select(r => r.MessageId)];

    public Task WaitForCountAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_received.Count >= count) return Task.CompletedTask;
            _waiters.Add((count, done));
        }
        return done.Task.WaitAsync(EmulatorClient.WaitLimit);
    }

    private void Signal()
    {
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_received.Count >= _waiters[i].Count)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
