namespace IotActors.Emulator.Delivery;

/// <summary>
/// One connection counted as a client of a consumer group: from its accepted Open until it closes.
/// Holds what the group needs to pick it and to limit it. Mutated only under the group's lock.
/// </summary>
internal sealed class GroupClient(string clientId, long connectionId, RateLimiter limiter)
{
    public string ClientId { get; } = clientId;

    public long ConnectionId { get; } = connectionId;

    /// <summary>The per-connection transfer limit (spec §2.3: 1,000 TPS).</summary>
    public RateLimiter Limiter { get; } = limiter;

    /// <summary>The attached receiver link, if any.</summary>
    public GroupMessageSource? Receiver { get; set; }

    public int InFlight { get; set; }

    public long Delivered { get; set; }
}
