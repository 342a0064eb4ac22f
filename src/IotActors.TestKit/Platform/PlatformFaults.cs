using Amqp;
using IotActors.Emulator;

namespace IotActors.TestKit.Platform;

/// <summary>
/// What the platform itself can do to a consumer (spec §3–§4), switchable while traffic flows. Every switch stays on
/// until <see cref="Heal"/> or until it is set back.
/// </summary>
public sealed class PlatformFaults
{
    private readonly PlatformEmulator _emulator;

    internal PlatformFaults(PlatformEmulator emulator) => _emulator = emulator;

    /// <summary>AMQP conditions the platform closes connections with, for <see cref="ForceCloseAsync"/>.</summary>
    public static IReadOnlyList<string> CloseConditions { get; } =
        [ErrorCode.ConnectionForced, ErrorCode.InternalError, ErrorCode.ResourceLimitExceeded, "amqp:connection:framing-error"];

    /// <summary>Closes the connections of <paramref name="clientId"/> (null = all) with an AMQP close carrying <paramref name="condition"/>.</summary>
    public Task<int> ForceCloseAsync(string condition, string? clientId = null) =>
        _emulator.CloseConnectionsAsync(clientId, condition, "injected by IotActors.TestKit");

    /// <summary>Resets the TCP connections of <paramref name="clientId"/> (null = all): no AMQP close at all.</summary>
    public int DropConnections(string? clientId = null) => _emulator.DropConnections(clientId);

    /// <summary>Chance (0–1) that a message is pushed twice under the same messageId.</summary>
    public double DuplicateProbability { get => _emulator.Faults.DuplicateProbability; set => _emulator.Faults.DuplicateProbability = value; }

    /// <summary>Chance (0–1) that a message is swapped with the next one.</summary>
    public double ReorderProbability { get => _emulator.Faults.ReorderProbability; set => _emulator.Faults.ReorderProbability = value; }

    /// <summary>Chance (0–1) that an ack is lost: the delivery times out and comes again although it was processed.</summary>
    public double LostAckProbability { get => _emulator.Faults.LostAckProbability; set => _emulator.Faults.LostAckProbability = value; }

    /// <summary>While true nothing is pushed; messages pile up in the stacked queue and are replayed at the stacked rate afterwards.</summary>
    public bool Throttle { get => _emulator.Faults.Throttle; set => _emulator.Faults.Throttle = value; }

    /// <summary>While true every login fails authentication (the consumer must back off in its slow lane).</summary>
    public bool AuthenticationFailing { get => _emulator.Faults.AuthenticationFailing; set => _emulator.Faults.AuthenticationFailing = value; }

    /// <summary>Switches every fault off.</summary>
    public void Heal()
    {
        DuplicateProbability = 0;
        ReorderProbability = 0;
        LostAckProbability = 0;
        Throttle = false;
        AuthenticationFailing = false;
    }
}
