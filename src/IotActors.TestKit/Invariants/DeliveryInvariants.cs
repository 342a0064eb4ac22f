using System.Collections.Immutable;
using IotActors.Emulator;
using IotActors.Platform.Messages;
using IotActors.TestKit.Platform;

namespace IotActors.TestKit.Invariants;

/// <summary>
/// Checks a run's outcome against what was sent and what the platform did:
/// <list type="bullet">
/// <item>nothing lost: every messageId sent about a device is in that device's ledger;</item>
/// <item>nothing applied twice: no messageId appears twice in a ledger (and none appears that was never sent);</item>
/// <item>order: messages of one device that the platform transferred exactly once, on the same connection, were applied
/// in transfer order (the platform promises no order beyond that: redeliveries, stacked replays and several connections
/// legitimately reorder);</item>
/// <item>nothing unaccepted: the platform holds no pending, in-flight or stacked message at the end;</item>
/// <item>no unbounded growth: no delivery is still held by the consumer at the end, and no ledger is longer than what was sent.</item>
/// </list>
/// </summary>
public static class DeliveryInvariants
{
    private const int MaxProblemsListed = 20;

    /// <param name="sent">Every message published (<c>EmulatedPlatform.Sent</c>).</param>
    /// <param name="applied">Per device, the messageIds applied in order (<see cref="LedgerSnapshot{TState}.Applied"/>).</param>
    /// <param name="deliveries">The platform's transfer log (<c>EmulatedPlatform.Deliveries</c>).</param>
    /// <param name="stats">The platform's counters at the end.</param>
    /// <param name="duplicatesDropped">Redeliveries the devices dropped (for the report).</param>
    /// <param name="parked">Messages parked (reported; a parked message also counts as lost).</param>
    /// <param name="consumerInFlight">Deliveries the consumer still holds unsettled at the end (should be 0).</param>
    public static InvariantReport Check(
        IReadOnlyList<SentMessage> sent,
        IReadOnlyDictionary<DeviceId, ImmutableList<string>> applied,
        IReadOnlyList<DeliveryRecord> deliveries,
        EmulatorStats stats,
        long duplicatesDropped = 0,
        long parked = 0,
        int consumerInFlight = 0)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(stats);
        var problems = ImmutableList.CreateBuilder<string>();
        void Problem(string text)
        {
            if (problems.Count < MaxProblemsListed) problems.Add(text);
        }

        var sentByDevice = sent.GroupBy(m => m.Device).ToDictionary(g => g.Key, g => g.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal));
        var transfersOf = deliveries.GroupBy(d => d.MessageId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        long lost = 0, twice = 0, processed = 0;
        foreach (var (device, ids) in sentByDevice)
        {
            var ledger = applied.GetValueOrDefault(device) ?? [];
            processed += ledger.Count;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in ledger)
            {
                if (!seen.Add(id)) { twice++; Problem($"applied twice: {id} on {device}"); }
                else if (!ids.Contains(id)) Problem($"applied but never sent to {device}: {id}");
            }
            foreach (var id in ids.Where(id => !seen.Contains(id)))
            {
                lost++;
                Problem($"lost: {id} of {device}; {Transfers(transfersOf.GetValueOrDefault(id))}");
            }
            if (ledger.Count > ids.Count) Problem($"{device} applied {ledger.Count} messages for {ids.Count} sent");
        }
        foreach (var device in applied.Keys.Where(d => !sentByDevice.ContainsKey(d)))
        {
            Problem($"{device} applied {applied[device].Count} message(s) but nothing was sent to it");
        }

        var violations = CheckOrder(sent, applied, deliveries, transfersOf, Problem);

        var unaccepted = stats.Pending + stats.InFlight + stats.Stacked;
        if (unaccepted > 0) Problem($"the platform still holds {stats.Pending} pending, {stats.InFlight} in flight, {stats.Stacked} stacked");
        if (consumerInFlight > 0) Problem($"the consumer still holds {consumerInFlight} unsettled deliveries at the end");

        return new InvariantReport(sent.Count, processed, stats.Redelivered, duplicatesDropped, lost, twice, violations, unaccepted, parked,
            problems.ToImmutable());
    }

    /// <summary>
    /// The whole check in one call: what <paramref name="platform"/> sent and did, the <paramref name="ledgers"/>, and what
    /// the <paramref name="cluster"/>'s connections still hold.
    /// </summary>
    public static async Task<InvariantReport> CheckAsync<TState>(EmulatedPlatform platform, Cluster.IotTestCluster cluster, LedgerSnapshot<TState> ledgers)
        where TState : notnull
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(ledgers);
        var connections = await cluster.ConnectionsAsync().ConfigureAwait(false);
        var consumerInFlight = connections.Nodes.SelectMany(n => n.Connections).Sum(c => c.InFlight);
        return Check(platform.Sent, ledgers.Applied, platform.Deliveries, platform.Stats, ledgers.DuplicatesDropped, ledgers.Parked, consumerInFlight);
    }

    /// <summary>Where the platform sent a message: what a lost one's report needs to be followed up.</summary>
    private static string Transfers(List<DeliveryRecord>? transfers) => transfers is null or { Count: 0 }
        ? "never transferred"
        : $"transferred {transfers.Count}×: " + string.Join(", ", transfers.OrderBy(t => t.Sequence)
            .Select(t => $"#{t.Sequence} to {t.ClientId} on connection {t.ConnectionId} (transfer {t.Transfer})"));

    private static long CheckOrder(IReadOnlyList<SentMessage> sent, IReadOnlyDictionary<DeviceId, ImmutableList<string>> applied,
        IReadOnlyList<DeliveryRecord> deliveries, Dictionary<string, List<DeliveryRecord>> transfersOf, Action<string> problem)
    {
        var deviceOf = new Dictionary<string, DeviceId>(StringComparer.Ordinal);
        foreach (var m in sent) deviceOf.TryAdd(m.MessageId, m.Device);
        // Only messages transferred exactly once in the whole run: anything redelivered or duplicated may overtake.
        var positions = applied.ToDictionary(a => a.Key, a => a.Value.Select((id, i) => (id, i)).GroupBy(x => x.id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal));

        long violations = 0;
        foreach (var stream in deliveries.Where(d => transfersOf[d.MessageId].Count == 1 && deviceOf.ContainsKey(d.MessageId))
                     .GroupBy(d => (d.ConnectionId, Device: deviceOf[d.MessageId])))
        {
            if (!positions.TryGetValue(stream.Key.Device, out var position)) continue;
            var previous = -1;
            string? previousId = null;
            foreach (var delivery in stream.OrderBy(d => d.Sequence))
            {
                if (!position.TryGetValue(delivery.MessageId, out var at)) continue; // lost: reported above
                if (at < previous)
                {
                    violations++;
                    problem($"order: {delivery.MessageId} was applied before {previousId} on {stream.Key.Device}, though connection {stream.Key.ConnectionId} delivered it after");
                }
                else
                {
                    previous = at;
                    previousId = delivery.MessageId;
                }
            }
        }
        return violations;
    }
}
