using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IotActors.Actors.Diagnostics;

/// <summary>
/// The one <see cref="Meter"/> of the actor core, named <c>IotActors</c>; the host exports it (Prometheus,
/// OpenTelemetry). Instruments are static so actors record without plumbing; tags are limited to
/// <see cref="ClientIdTag"/>, <see cref="ProductKeyTag"/> and <see cref="ReasonTag"/> to keep cardinality
/// bounded (never device names or message IDs).
/// </summary>
public static class IotActorsMetrics
{
    public const string MeterName = "IotActors";

    /// <summary>Consumer-group client ID of the connection a delivery came from.</summary>
    public const string ClientIdTag = "client_id";

    /// <summary>Product key of the device a message is for.</summary>
    public const string ProductKeyTag = "product_key";

    /// <summary>Why something happened (reconnect cause…); a small fixed set of values.</summary>
    public const string ReasonTag = "reason";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Deliveries received from the platform.</summary>
    public static readonly Counter<long> Received =
        Meter.CreateCounter<long>("iotactors.messages.received", "{message}", "Deliveries received from the platform.");

    /// <summary>Deliveries accepted on the link (processed, duplicate or parked).</summary>
    public static readonly Counter<long> Accepted =
        Meter.CreateCounter<long>("iotactors.messages.accepted", "{message}", "Deliveries accepted on the AMQP link.");

    /// <summary>Deliveries released (left for the platform to redeliver).</summary>
    public static readonly Counter<long> Released =
        Meter.CreateCounter<long>("iotactors.messages.released", "{message}", "Deliveries released for redelivery.");

    /// <summary>Messages a device behavior kept failing on, parked with a reason and accepted.</summary>
    public static readonly Counter<long> Parked =
        Meter.CreateCounter<long>("iotactors.messages.parked", "{message}", "Messages parked after the device behavior kept failing.");

    /// <summary>Redeliveries dropped by a device's messageId window.</summary>
    public static readonly Counter<long> Duplicates =
        Meter.CreateCounter<long>("iotactors.messages.duplicates", "{message}", "Redelivered messages dropped by messageId.");

    /// <summary>Deliveries whose topic or properties could not be decoded.</summary>
    public static readonly Counter<long> DecodeFailures =
        Meter.CreateCounter<long>("iotactors.messages.decode_failures", "{message}", "Deliveries that could not be decoded.");

    /// <summary>Deliveries received but not yet settled; bounded by link credit.</summary>
    public static readonly UpDownCounter<long> InFlight =
        Meter.CreateUpDownCounter<long>("iotactors.deliveries.in_flight", "{delivery}", "Deliveries received and not yet settled.");

    /// <summary>Time from receiving a delivery to settling it; must stay well under the platform's 30 s ack timeout.</summary>
    public static readonly Histogram<double> ReceiveToAck =
        Meter.CreateHistogram<double>("iotactors.receive_to_ack.duration", "ms", "Time from receiving a delivery to settling it.");

    /// <summary>Connection attempts after a loss, tagged with <see cref="ReasonTag"/>.</summary>
    public static readonly Counter<long> Reconnects =
        Meter.CreateCounter<long>("iotactors.connections.reconnects", "{attempt}", "Reconnect attempts, by reason.");

    /// <summary>Device actors currently alive in this process (incarnated, not passivated), tagged with <see cref="ProductKeyTag"/>.</summary>
    public static readonly UpDownCounter<long> DevicesAlive =
        Meter.CreateUpDownCounter<long>("iotactors.devices.alive", "{device}", "Device actors alive in this process.");

    /// <summary>Tags for per-delivery instruments; either value may be null when not known.</summary>
    public static TagList Tags(string? clientId, string? productKey)
    {
        var tags = new TagList();
        if (clientId is not null) tags.Add(ClientIdTag, clientId);
        if (productKey is not null) tags.Add(ProductKeyTag, productKey);
        return tags;
    }
}
