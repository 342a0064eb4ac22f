using System.Collections.Concurrent;
using IotActors.Emulator.Connections;
using IotActors.Emulator.Delivery;
using Microsoft.Extensions.Logging;

namespace IotActors.Emulator;

/// <summary>
/// What every connection of the emulator shares: settings (with the scaled timers worked out once),
/// faults, consumer groups, the connections themselves and listener-wide counters.
/// </summary>
internal sealed class EmulatedPlatform : IDisposable
{
    private readonly long _started;
    private readonly ConcurrentDictionary<long, ConnectionRules> _connections = new();
    private long _nextConnectionId;
    private long _socketsAccepted;
    private long _authenticationFailures;
    private long _authenticationTimeouts;

    public EmulatedPlatform(EmulatorOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        Time = time;
        _started = time.GetTimestamp();
        AuthenticationTimeout = options.Scaled(options.AuthenticationTimeout);
        AttachTimeout = options.Scaled(options.AttachTimeout);
        var idle = options.Scaled(options.IdleCloseTimeout);
        IdleCloseTimeout = idle < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : idle;

        var seed = options.RandomSeed;
        var groupLogger = loggerFactory.CreateLogger<ConsumerGroup>();
        Groups = options.ConsumerGroups
            .Select((id, index) => new ConsumerGroup(id, options, Faults, () => Now,
                seed is null ? new Random() : new Random(unchecked(seed.Value + index)), groupLogger))
            .ToDictionary(g => g.Id, StringComparer.Ordinal);
        Faults.Changed += WakeGroups;
    }

    public EmulatorOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TimeProvider Time { get; }

    public FaultSettings Faults { get; } = new();

    public IReadOnlyDictionary<string, ConsumerGroup> Groups { get; }

    public TimeSpan AuthenticationTimeout { get; }

    public TimeSpan AttachTimeout { get; }

    /// <summary>Scaled, but at least 1 s: below that heartbeats of a loaded machine would not keep up.</summary>
    public TimeSpan IdleCloseTimeout { get; }

    /// <summary>Monotonic time since start; all queue and timer arithmetic uses it.</summary>
    public TimeSpan Now => Time.GetElapsedTime(_started);

    /// <summary>Every connection from its accepted socket until it closes (including those still authenticating).</summary>
    public ICollection<ConnectionRules> Connections => _connections.Values;

    public ConsumerGroup GetGroup(string consumerGroup)
    {
        ArgumentNullException.ThrowIfNull(consumerGroup);
        return Groups.TryGetValue(consumerGroup, out var group)
            ? group
            : throw new ArgumentException($"Unknown consumer group '{consumerGroup}'; configured: {string.Join(", ", Groups.Keys)}.", nameof(consumerGroup));
    }

    public long Register(ConnectionRules connection)
    {
        Interlocked.Increment(ref _socketsAccepted);
        var id = Interlocked.Increment(ref _nextConnectionId);
        _connections[id] = connection;
        return id;
    }

    public void Unregister(long connectionId) => _connections.TryRemove(connectionId, out _);

    public void RecordAuthenticationFailure() => Interlocked.Increment(ref _authenticationFailures);

    public void RecordAuthenticationTimeout() => Interlocked.Increment(ref _authenticationTimeouts);

    public ListenerStats GetListenerStats() => new(
        Interlocked.Read(ref _socketsAccepted),
        Interlocked.Read(ref _authenticationFailures),
        Interlocked.Read(ref _authenticationTimeouts),
        _connections.Values.Count(c => c.IsAuthenticated));

    public void Dispose()
    {
        Faults.Changed -= WakeGroups;
        foreach (var group in Groups.Values) group.Dispose();
        foreach (var connection in _connections.Values) connection.Terminate();
    }

    private void WakeGroups()
    {
        foreach (var group in Groups.Values) group.Wake();
    }
}
