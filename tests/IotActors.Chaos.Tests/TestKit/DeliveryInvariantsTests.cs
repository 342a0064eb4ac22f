using System.Collections.Immutable;
using IotActors.Emulator;
using IotActors.Platform.Messages;
using IotActors.TestKit.Invariants;
using IotActors.TestKit.Platform;

namespace IotActors.Chaos.Tests.TestKit;

/// <summary>The checkers must catch each broken promise on their own, or a green chaos run proves nothing.</summary>
public sealed class DeliveryInvariantsTests
{
    private static readonly DeviceId A = new("a1Inv", "a");
    private static readonly DeviceId B = new("a1Inv", "b");

    private static readonly SentMessage[] Sent = [new(A, "a1", 1), new(A, "a2", 2), new(B, "b1", 3), new(A, "a3", 4)];

    private static EmulatorStats Stats(int pending = 0, int inFlight = 0, int stacked = 0, long redelivered = 0) =>
        new("G", 4, 4, redelivered, 4, 0, 0, 0, 0, pending, inFlight, stacked, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0);

    private static DeliveryRecord Transfer(long sequence, string id, long connection = 1, int transfer = 1) =>
        new(sequence, id, "/t", "c", connection, transfer);

    private static readonly DeliveryRecord[] InOrder = [Transfer(1, "a1"), Transfer(2, "a2"), Transfer(3, "b1"), Transfer(4, "a3")];

    private static ImmutableDictionary<DeviceId, ImmutableList<string>> Applied(string[] a, string[] b) =>
        ImmutableDictionary<DeviceId, ImmutableList<string>>.Empty.Add(A, [.. a]).Add(B, [.. b]);

    [Fact]
    public void A_clean_run_holds()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a1", "a2", "a3"], ["b1"]), InOrder, Stats());
        Assert.True(report.Holds, report.ToString());
        Assert.Equal((4L, 4L), (report.Sent, report.Processed));
    }

    [Fact]
    public void A_missing_message_is_lost()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a1", "a3"], ["b1"]), InOrder, Stats());
        Assert.Equal(1, report.Lost);
        Assert.Contains(report.Problems, p => p.Contains("lost: a2", StringComparison.Ordinal));
        Assert.Throws<InvariantViolationException>(report.ThrowIfViolated);
    }

    [Fact]
    public void A_lost_message_is_reported_with_where_the_platform_sent_it()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a1", "a3"], ["b1"]), InOrder, Stats());
        var line = Assert.Single(report.Problems, p => p.StartsWith("lost: a2", StringComparison.Ordinal));
        var transfer = InOrder.Single(d => d.MessageId == "a2");
        Assert.Contains($"transferred 1×: #{transfer.Sequence} to {transfer.ClientId} on connection {transfer.ConnectionId} (transfer 1)", line);

        var never = DeliveryInvariants.Check(Sent, Applied(["a1", "a3"], ["b1"]), InOrder.Where(d => d.MessageId != "a2").ToList(), Stats());
        Assert.Contains(never.Problems, p => p == $"lost: a2 of {A}; never transferred");
    }

    [Fact]
    public void A_message_in_the_ledger_twice_was_applied_twice()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a1", "a2", "a2", "a3"], ["b1"]), InOrder, Stats());
        Assert.Equal(1, report.AppliedTwice);
        Assert.False(report.Holds);
    }

    [Fact]
    public void Applying_against_the_transfer_order_of_one_connection_is_an_order_violation()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a2", "a1", "a3"], ["b1"]), InOrder, Stats());
        Assert.Equal(1, report.OrderViolations);
        Assert.False(report.Holds);
    }

    [Fact]
    public void Redelivered_messages_and_other_connections_may_overtake()
    {
        // a1 went out twice (a redelivery), and a3 came on another connection: neither is bound to a2's order.
        DeliveryRecord[] transfers = [Transfer(1, "a1"), Transfer(2, "a2"), Transfer(3, "b1"), Transfer(4, "a3", connection: 2), Transfer(5, "a1", transfer: 2)];
        var report = DeliveryInvariants.Check(Sent, Applied(["a3", "a2", "a1"], ["b1"]), transfers, Stats(redelivered: 1));
        Assert.True(report.Holds, report.ToString());
    }

    [Fact]
    public void What_the_platform_or_the_consumer_still_holds_is_reported()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a1", "a2", "a3"], ["b1"]), InOrder, Stats(pending: 1, stacked: 2), consumerInFlight: 3);
        Assert.Equal(3, report.Unaccepted);
        Assert.Contains(report.Problems, p => p.Contains("consumer still holds 3", StringComparison.Ordinal));
        Assert.False(report.Holds);
    }

    [Fact]
    public void A_message_never_sent_to_the_device_is_a_problem()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a1", "a2", "a3", "b1"], ["b1"]), InOrder, Stats());
        Assert.Contains(report.Problems, p => p.Contains("never sent", StringComparison.Ordinal));
        Assert.False(report.Holds);
    }

    [Fact]
    public void The_table_has_a_row_per_scenario_with_its_faults()
    {
        var report = DeliveryInvariants.Check(Sent, Applied(["a1", "a2", "a3"], ["b1"]), InOrder, Stats());
        var table = InvariantReport.FormatTable([("one", report, new Dictionary<string, int> { ["network-reset"] = 2 })]);
        Assert.Contains("| scenario", table, StringComparison.Ordinal);
        Assert.Contains("network-reset×2", table, StringComparison.Ordinal);
        Assert.Equal(3, table.Trim().Split('\n').Length);
    }
}
