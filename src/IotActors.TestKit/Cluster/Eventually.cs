namespace IotActors.TestKit.Cluster;

/// <summary>Polls a condition until it holds or time runs out, like TestKit's <c>AwaitAssert</c>, for async checks.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await condition().ConfigureAwait(false)) return;
            }
            catch (Exception e) when (e is TimeoutException or Akka.Actor.AskTimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not yet: a node may be starting or going away.
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"Not within {timeout}: {describe()}");
            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
