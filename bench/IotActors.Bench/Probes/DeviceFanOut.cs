using Akka.Actor;

namespace IotActors.Bench.Probes;

/// <summary>
/// Sends one command to each of <c>count</c> devices through the device region, at most <c>window</c> unanswered at a
/// time (so a million devices do not sit in mailboxes at once), and completes when every device has answered. Replies
/// that fail <c>check</c> are counted, not retried. Gives up after 60 s without any reply.
/// </summary>
public sealed class DeviceFanOut : ReceiveActor
{
    private readonly IActorRef _region;
    private readonly int _count;
    private readonly Func<int, object> _command;
    private readonly Func<object, bool> _check;
    private readonly TaskCompletionSource<FanOutResult> _done;
    private int _sent, _answered, _failedChecks;

    public DeviceFanOut(IActorRef region, int count, int window, Func<int, object> command, Func<object, bool> check, TaskCompletionSource<FanOutResult> done)
    {
        _region = region;
        _count = count;
        _command = command;
        _check = check;
        _done = done;
        ReceiveAny(reply =>
        {
            if (reply is ReceiveTimeout)
            {
                _done.TrySetException(new TimeoutException($"No device answered for 60 s ({_answered} of {_count} answered)."));
                Context.Stop(Self);
                return;
            }
            if (!_check(reply)) _failedChecks++;
            _answered++;
            if (_answered == _count)
            {
                _done.TrySetResult(new FanOutResult(_answered, _failedChecks));
                Context.Stop(Self);
                return;
            }
            SendNext();
        });
        for (var i = 0; i < Math.Min(window, count); i++) SendNext();
        Context.SetReceiveTimeout(TimeSpan.FromSeconds(60));
    }

    private void SendNext()
    {
        if (_sent < _count) _region.Tell(_command(_sent++), Self);
    }
}

/// <summary>Starts <see cref="DeviceFanOut"/> runs.</summary>
public static class FanOut
{
    /// <summary>Runs a fan-out and waits for it, at most <paramref name="timeout"/>.</summary>
    public static Task<FanOutResult> RunAsync(ActorSystem system, IActorRef region, int count, Func<int, object> command, Func<object, bool> check,
        TimeSpan timeout, int window = 2_000)
    {
        if (count == 0) return Task.FromResult(new FanOutResult(0, 0));
        var done = new TaskCompletionSource<FanOutResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new DeviceFanOut(region, count, window, command, check, done)));
        return done.Task.WaitAsync(timeout);
    }
}

/// <param name="Answered">Devices that answered.</param>
/// <param name="FailedChecks">Answers that were not what the probe expected.</param>
public sealed record FanOutResult(int Answered, int FailedChecks);
