using Amqp.Framing;
using Amqp.Listener;
using Microsoft.Extensions.Logging;

namespace IotActors.Emulator.Delivery;

/// <summary>
/// One consumer group of the emulated platform (spec §3): its clients, its copy of every message and
/// where each copy is — pending (fresh, waiting for credit), in flight (waiting for a disposition) or
/// stacked (no client online, throttled, or not acknowledged). Fresh messages go out as fast as credit
/// and the per-connection limit allow; stacked ones at most <see cref="EmulatorOptions.StackedReplayPerSecond"/>.
/// Each message goes to one randomly chosen link that has a GetMessageAsync call waiting (i.e. credit).
/// </summary>
/// <remarks>
/// One lock guards everything; a single timer wakes the group for the next due thing (ack deadline,
/// retry delay, token refill, held reorder, retention sweep). Waiting calls are completed with
/// continuations forced asynchronous, so no library code ever runs under the lock.
/// </remarks>
internal sealed class ConsumerGroup : IDisposable
{
    private static readonly TimeSpan MinimumWake = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private readonly EmulatorOptions _options;
    private readonly FaultSettings _faults;
    private readonly Func<TimeSpan> _clock;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly TimeSpan _ackTimeout;
    private readonly TimeSpan _retryInterval;
    private readonly TimeSpan _retention;
    private readonly TimeSpan _sweepInterval;

    private readonly Queue<StoredMessage> _pending = new();
    private readonly StackedQueue _stacked = new();
    private readonly Queue<InFlightDelivery> _inFlight = new();
    private readonly List<GroupClient> _clients = [];
    private readonly List<GroupMessageSource> _receivers = [];
    private readonly List<GroupMessageSource> _waiters = [];
    private readonly List<GroupMessageSource> _eligible = [];
    private readonly List<(Func<EmulatorStats, bool> Condition, TaskCompletionSource Done)> _watchers = [];
    private readonly RateLimiter _replayLimiter;
    private readonly ConnectAttemptWindow _attempts;
    private readonly Timer _timer;

    private StoredMessage? _held;
    private TimeSpan _heldUntil;
    private TimeSpan _nextSweep;
    private int _inFlightCount;
    private bool _disposed;

    private long _published, _delivered, _redelivered, _accepted, _notAccepted, _ackTimeouts, _returnedOnLinkClose,
        _lateDispositions, _expired, _dropped, _duplicated, _reordered, _connectAttempts, _connectAttemptsRefused,
        _clientsRefused, _authenticationFailures, _acksLost, _transferSequence;

    private readonly List<DeliveryRecord>? _deliveryLog;

    public ConsumerGroup(string id, EmulatorOptions options, FaultSettings faults, Func<TimeSpan> clock, Random random, ILogger logger)
    {
        Id = id;
        _options = options;
        _faults = faults;
        _clock = clock;
        _random = random;
        _logger = logger;
        _ackTimeout = options.Scaled(options.AckTimeout);
        _retryInterval = options.Scaled(options.StackedRetryInterval);
        _retention = options.Scaled(options.Retention);
        _sweepInterval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, _retention.Ticks / 10));
        var now = clock();
        _nextSweep = now + _sweepInterval;
        _replayLimiter = new RateLimiter(options.StackedReplayPerSecond, now);
        _attempts = new ConnectAttemptWindow(options.MaxConnectAttemptsPerMinutePerGroup, options.Scaled(TimeSpan.FromMinutes(1)));
        _timer = new Timer(_ => Wake(), null, Timeout.Infinite, Timeout.Infinite);
        if (options.RecordDeliveries) _deliveryLog = [];
    }

    public string Id { get; }

    /// <summary>Counts a login naming this group; false when the group's connect-attempt budget is used up.</summary>
    public bool RecordConnectAttempt()
    {
        lock (_gate)
        {
            _connectAttempts++;
            if (_attempts.TryRecord(_clock())) { NotifyWatchersLocked(); return true; }
            _connectAttemptsRefused++;
            NotifyWatchersLocked();
            return false;
        }
    }

    public void RecordAuthenticationFailure()
    {
        lock (_gate)
        {
            _authenticationFailures++;
            NotifyWatchersLocked();
        }
    }

    /// <summary>Admits a connection as a client; null when the group already has its maximum.</summary>
    public GroupClient? TryAddClient(string clientId, long connectionId)
    {
        lock (_gate)
        {
            if (_disposed) return null;
            if (_clients.Count >= _options.MaxClientsPerGroup)
            {
                _clientsRefused++;
                NotifyWatchersLocked();
                return null;
            }
            var client = new GroupClient(clientId, connectionId, new RateLimiter(_options.MaxMessagesPerSecondPerConnection, _clock()));
            _clients.Add(client);
            NotifyWatchersLocked();
            return client;
        }
    }

    public void RemoveClient(GroupClient client)
    {
        lock (_gate)
        {
            if (client.Receiver is { } receiver) RemoveReceiverLocked(receiver);
            _clients.Remove(client);
            AfterChangeLocked(_clock());
        }
    }

    public void AddReceiver(GroupMessageSource source)
    {
        lock (_gate)
        {
            if (_disposed || source.Closed) return;
            source.Client.Receiver = source;
            _receivers.Add(source);
            AfterChangeLocked(_clock());
        }
    }

    /// <summary>The link is gone: stop offering it messages. Its unsettled deliveries come back through <see cref="Settle"/>.</summary>
    public void RemoveReceiver(GroupMessageSource source)
    {
        lock (_gate)
        {
            RemoveReceiverLocked(source);
            AfterChangeLocked(_clock());
        }
    }

    /// <summary>
    /// The listener asks for the next message for <paramref name="source"/>. The task completes with a
    /// message handed to this link, or null when the link closes, the client drains, or the group stops.
    /// </summary>
    public Task<ReceiveContext?> NextMessageAsync(GroupMessageSource source, bool draining)
    {
        lock (_gate)
        {
            if (source.Closed) return Task.FromResult<ReceiveContext?>(null);
            // Once the group is stopped the wait simply lasts until the link closes: answering null
            // to a link that is still open would make the listener call again at once, in a loop.
            var waiter = new TaskCompletionSource<ReceiveContext?>(TaskCreationOptions.RunContinuationsAsynchronously);
            source.Waiter = waiter;
            _waiters.Add(source);
            AfterChangeLocked(_clock());
            if (draining && !_disposed && source.Waiter == waiter)
            {
                // Drain: hand over what can go now, otherwise report "nothing" so the drain completes.
                CancelWaitLocked(source);
            }
            return waiter.Task;
        }
    }

    /// <summary>Ends an outstanding wait with null (the client drains its credit).</summary>
    public void CancelWait(GroupMessageSource source)
    {
        lock (_gate) CancelWaitLocked(source);
    }

    /// <summary>
    /// A disposition (or the listener's release of an unsettled delivery when its link went away).
    /// Accepted ends the message; anything else sends it to the stacked queue for another push.
    /// </summary>
    public void Settle(InFlightDelivery delivery, DeliveryState? state, bool linkClosing)
    {
        lock (_gate)
        {
            if (delivery.Done)
            {
                _lateDispositions++;
                NotifyWatchersLocked();
                return;
            }
            var now = _clock();
            if (state is Accepted && !linkClosing && _faults.LostAckProbability is > 0 and var lost && _random.NextDouble() < lost)
            {
                // The platform "never got" the ack: the delivery stays in flight until its ack timeout.
                _acksLost++;
                NotifyWatchersLocked();
                return;
            }
            EndInFlightLocked(delivery);
            if (state is Accepted)
            {
                _accepted++;
            }
            else
            {
                if (linkClosing) _returnedOnLinkClose++;
                else _notAccepted++;
                // Only the client's own failure on a replay earns the retry delay; a lost link is not its verdict.
                var delay = !linkClosing && delivery.FromStacked ? _retryInterval : TimeSpan.Zero;
                RequeueLocked(delivery.Message, delay, now);
            }
            AfterChangeLocked(now);
        }
    }

    /// <summary>Takes this group's copy of a published message (two with the duplicate fault).</summary>
    public void Publish(EmulatedMessage message, byte[] body)
    {
        lock (_gate)
        {
            if (_disposed) return;
            var now = _clock();
            _published++;
            var copies = 1;
            var duplicateProbability = _faults.DuplicateProbability;
            if (duplicateProbability > 0 && _random.NextDouble() < duplicateProbability)
            {
                copies = 2;
                _duplicated++;
            }
            for (var i = 0; i < copies; i++)
            {
                AcceptPublishedLocked(new StoredMessage(message, body, now), now);
            }
            AfterChangeLocked(now);
        }
    }

    /// <summary>Re-evaluates everything now, e.g. after a fault setting changed.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            if (_disposed) return;
            AfterChangeLocked(_clock());
        }
    }

    public EmulatorStats GetStats()
    {
        lock (_gate) return SnapshotLocked();
    }

    /// <summary>Every transfer so far, in order (empty unless <see cref="EmulatorOptions.RecordDeliveries"/>).</summary>
    public IReadOnlyList<DeliveryRecord> GetDeliveryLog()
    {
        lock (_gate) return _deliveryLog is null ? [] : [.. _deliveryLog];
    }

    public IReadOnlyList<EmulatedClient> GetClients()
    {
        lock (_gate)
        {
            return _clients
                .Select(c => new EmulatedClient(c.ClientId, c.ConnectionId, c.Receiver is not null, c.Receiver?.Credit ?? 0, c.InFlight, c.Delivered))
                .ToList();
        }
    }

    /// <summary>
    /// Completes when <paramref name="condition"/> holds for the group's stats; throws
    /// <see cref="TimeoutException"/> (with the last stats) otherwise. The condition runs under the
    /// group's lock after every change: keep it a quick, pure check.
    /// </summary>
    public async Task WaitForAsync(Func<EmulatorStats, bool> condition, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(SnapshotLocked())) return;
            ObjectDisposedException.ThrowIf(_disposed, this);
            _watchers.Add((condition, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            EmulatorStats last;
            string clients;
            lock (_gate)
            {
                _watchers.RemoveAll(w => w.Done == done);
                last = SnapshotLocked();
                clients = DescribeClientsLocked();
            }
            throw new TimeoutException($"Consumer group {Id}: condition not met within {timeout}; last stats: {last}; clients: {clients}");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _timer.Dispose();
            foreach (var (_, done) in _watchers) done.TrySetException(new ObjectDisposedException(nameof(PlatformEmulator)));
            _watchers.Clear();
        }
    }

    private void AcceptPublishedLocked(StoredMessage message, TimeSpan now)
    {
        if (_held is { } held)
        {
            // Reorder fault: the held message goes right after its successor.
            _held = null;
            RouteLocked(message, now);
            RouteLocked(held, now);
            _reordered++;
            return;
        }
        var reorderProbability = _faults.ReorderProbability;
        if (reorderProbability > 0 && _random.NextDouble() < reorderProbability)
        {
            _held = message;
            _heldUntil = now + _faults.ReorderMaxHold;
            return;
        }
        RouteLocked(message, now);
    }

    /// <summary>A fresh message is pushed in real time when a receiver is online; otherwise it accumulates.</summary>
    private void RouteLocked(StoredMessage message, TimeSpan now)
    {
        if (_receivers.Count == 0 || _faults.Throttle) _stacked.Add(message, now, now);
        else _pending.Enqueue(message);
        EnforceCapacityLocked();
    }

    private void RequeueLocked(StoredMessage message, TimeSpan delay, TimeSpan now)
    {
        if (message.IsExpired(now, _retention))
        {
            _expired++;
            return;
        }
        _stacked.Add(message, now + delay, now);
        EnforceCapacityLocked();
    }

    private void EnforceCapacityLocked()
    {
        while (_pending.Count + _stacked.Count > _options.StackedCapacity)
        {
            if (!_stacked.TryDropOldest() && !_pending.TryDequeue(out _)) break;
            _dropped++;
        }
    }

    private void RemoveReceiverLocked(GroupMessageSource source)
    {
        if (source.Closed) return;
        source.Closed = true;
        CancelWaitLocked(source);
        _receivers.Remove(source);
        if (source.Client.Receiver == source) source.Client.Receiver = null;
        if (_receivers.Count == 0)
        {
            // Nobody is online any more: what was waiting for credit now accumulates.
            var now = _clock();
            while (_pending.TryDequeue(out var message)) _stacked.Add(message, now, now);
        }
    }

    private void CancelWaitLocked(GroupMessageSource source)
    {
        if (source.Waiter is not { } waiter) return;
        source.Waiter = null;
        _waiters.Remove(source);
        waiter.TrySetResult(null);
    }

    private void EndInFlightLocked(InFlightDelivery delivery)
    {
        delivery.Done = true;
        _inFlightCount--;
        delivery.Source.Client.InFlight--;
    }

    /// <summary>Runs after every change: timeouts, due work, dispatch, next wake, watchers.</summary>
    private void AfterChangeLocked(TimeSpan now)
    {
        if (_disposed) return;
        ExpireAcksLocked(now);
        if (_held is { } held && _heldUntil <= now)
        {
            _held = null;
            RouteLocked(held, now);
        }
        if (_faults.Throttle)
        {
            while (_pending.TryDequeue(out var message)) _stacked.Add(message, now, now);
        }
        if (now >= _nextSweep)
        {
            _nextSweep = now + _sweepInterval;
            SweepExpiredLocked(now);
        }
        DispatchLocked(now);
        RescheduleLocked(now);
        NotifyWatchersLocked();
    }

    private void ExpireAcksLocked(TimeSpan now)
    {
        while (_inFlight.TryPeek(out var delivery))
        {
            if (delivery.Done) { _inFlight.Dequeue(); continue; }
            if (delivery.Deadline > now) break;
            _inFlight.Dequeue();
            EndInFlightLocked(delivery);
            _ackTimeouts++;
            _logger.LogDebug("Ack timeout for message {MessageId} on connection {ConnectionId} of group {ConsumerGroup}",
                delivery.Message.Message.MessageId, delivery.Source.Client.ConnectionId, Id);
            RequeueLocked(delivery.Message, delivery.FromStacked ? _retryInterval : TimeSpan.Zero, now);
        }
    }

    private void SweepExpiredLocked(TimeSpan now)
    {
        var count = _pending.Count;
        for (var i = 0; i < count; i++)
        {
            var message = _pending.Dequeue();
            if (message.IsExpired(now, _retention)) _expired++;
            else _pending.Enqueue(message);
        }
        _expired += _stacked.RemoveExpired(now, _retention);
    }

    private void DispatchLocked(TimeSpan now)
    {
        if (_faults.Throttle) return;
        // Each round either hands a message to a waiter (removing it) or stops, so it ends.
        while (_waiters.Count > 0)
        {
            _eligible.Clear();
            foreach (var waiter in _waiters)
            {
                if (!waiter.Link.IsClosed && waiter.Client.Limiter.HasToken(now)) _eligible.Add(waiter);
            }
            if (_eligible.Count == 0) return;
            if (!TryTakeNextLocked(now, out var message, out var fromStacked)) return;
            HandOffLocked(_eligible[_random.Next(_eligible.Count)], message, fromStacked, now);
        }
    }

    private bool TryTakeNextLocked(TimeSpan now, out StoredMessage message, out bool fromStacked)
    {
        fromStacked = false;
        while (_pending.TryDequeue(out message!))
        {
            if (!message.IsExpired(now, _retention)) return true;
            _expired++;
        }
        fromStacked = true;
        while (_replayLimiter.HasToken(now) && _stacked.TryTake(now, out message))
        {
            if (!message.IsExpired(now, _retention))
            {
                _replayLimiter.Take(now);
                return true;
            }
            _expired++;
        }
        message = null!;
        return false;
    }

    private void HandOffLocked(GroupMessageSource source, StoredMessage message, bool fromStacked, TimeSpan now)
    {
        var waiter = source.Waiter!;
        source.Waiter = null;
        _waiters.Remove(source);

        if (message.Transfers > 0) _redelivered++;
        message.Transfers++;
        _delivered++;
        var delivery = new InFlightDelivery(message, source, now + _ackTimeout, fromStacked);
        _inFlight.Enqueue(delivery);
        _inFlightCount++;
        source.Client.InFlight++;
        source.Client.Delivered++;
        source.Client.Limiter.Take(now);
        source.OnTransfer();
        _deliveryLog?.Add(new DeliveryRecord(++_transferSequence, message.Message.MessageId, message.Message.Topic,
            source.Client.ClientId, source.Client.ConnectionId, message.Transfers));

        waiter.TrySetResult(new ReceiveContext(source.Link, message.ToAmqpMessage()) { UserToken = delivery });
    }

    private void RescheduleLocked(TimeSpan now)
    {
        TimeSpan? due = null;
        void Consider(TimeSpan at) => due = due is null || at < due ? at : due;

        while (_inFlight.TryPeek(out var head) && head.Done) _inFlight.Dequeue();
        if (_inFlight.TryPeek(out var first)) Consider(first.Deadline);
        if (_stacked.NextDelayedAt is { } delayedAt) Consider(delayedAt);
        if (_held is not null) Consider(_heldUntil);
        if (_pending.Count + _stacked.Count > 0) Consider(_nextSweep);
        if (!_faults.Throttle && _waiters.Count > 0 && (_pending.Count > 0 || _stacked.HasReady(now)))
        {
            // Work is waiting and links are waiting: what holds it back is a rate limit.
            var firstToken = _waiters.Min(w => w.Client.Limiter.NextTokenAt(now));
            if (firstToken > now) Consider(firstToken);
            else if (_pending.Count == 0) Consider(_replayLimiter.NextTokenAt(now));
        }

        if (due is { } at)
        {
            var delay = at - now;
            _timer.Change(delay < MinimumWake ? MinimumWake : delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
        }
    }

    private void NotifyWatchersLocked()
    {
        if (_watchers.Count == 0) return;
        var stats = SnapshotLocked();
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            if (_watchers[i].Condition(stats))
            {
                _watchers[i].Done.TrySetResult();
                _watchers.RemoveAt(i);
            }
        }
    }

    /// <summary>Per client, what decides whether it gets the next message: for a timeout's diagnosis.</summary>
    private string DescribeClientsLocked()
    {
        var now = _clock();
        return string.Join("; ", _clients.Select(c => c.Receiver is { } r
            ? $"{c.ClientId}#{c.ConnectionId} credit={r.Credit} waiting={r.Waiter is not null} linkClosed={r.Link.IsClosed} inFlight={c.InFlight} delivered={c.Delivered} nextToken={(c.Limiter.NextTokenAt(now) - now).TotalMilliseconds:F1}ms"
            : $"{c.ClientId}#{c.ConnectionId} no receiver"));
    }

    private EmulatorStats SnapshotLocked() => new(
        Id, _published, _delivered, _redelivered, _accepted, _notAccepted, _ackTimeouts, _returnedOnLinkClose,
        _lateDispositions, _pending.Count + (_held is null ? 0 : 1), _inFlightCount, _stacked.Count, _expired, _dropped,
        _duplicated, _reordered, _clients.Count, _receivers.Count, _connectAttempts, _connectAttemptsRefused,
        _clientsRefused, _authenticationFailures, _acksLost);
}
