using System.Collections.Immutable;
using IotActors.Platform.Messages;
using IotActors.TestKit.Cluster;

namespace IotActors.TestKit.Invariants;

/// <summary>The ledgers of a set of devices as the cluster holds them, with the device actors' own counters.</summary>
/// <param name="Applied">Per device, the messageIds applied, in order.</param>
/// <param name="States">Per device, the wrapped behavior's state.</param>
/// <param name="DuplicatesDropped">Redeliveries the device actors dropped by messageId, summed.</param>
/// <param name="Parked">Messages parked after the behavior kept failing, summed.</param>
public sealed record LedgerSnapshot<TState>(
    ImmutableDictionary<DeviceId, ImmutableList<string>> Applied,
    ImmutableDictionary<DeviceId, TState> States,
    long DuplicatesDropped,
    long Parked)
    where TState : notnull
{
    /// <summary>Asks every device through the cluster (recovering it from the journal where needed).</summary>
    public static async Task<LedgerSnapshot<TState>> ReadAsync(IotTestCluster cluster, IEnumerable<DeviceId> devices, TimeSpan? perDeviceTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var applied = ImmutableDictionary.CreateBuilder<DeviceId, ImmutableList<string>>();
        var states = ImmutableDictionary.CreateBuilder<DeviceId, TState>();
        long duplicates = 0, parked = 0;
        foreach (var device in devices.Distinct())
        {
            var reply = await cluster.AskDeviceAsync(device, perDeviceTimeout).ConfigureAwait(false);
            if (reply.State is not Ledger<TState> ledger)
                throw new InvalidOperationException($"{device} holds {reply.State.GetType().Name}, not Ledger<{typeof(TState).Name}>: register the behavior wrapped in LedgerBehavior<{typeof(TState).Name}>.");
            applied[device] = ledger.Applied;
            states[device] = ledger.State;
            duplicates += reply.DuplicatesDropped;
            parked += reply.Parked;
        }
        return new LedgerSnapshot<TState>(applied.ToImmutable(), states.ToImmutable(), duplicates, parked);
    }
}
