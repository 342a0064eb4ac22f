using System.Security.Cryptography.X509Certificates;

namespace IotActors.Platform.Amqp;

/// <summary>
/// Where and how <see cref="AmqpReceiver"/> connects: plain AMQP 1.0 terms, no platform policy.
/// Build one per connection attempt (the password carries a fresh signature) with
/// <see cref="Options.PlatformEndpoints.CreateEndpoint"/>, or by hand for other brokers.
/// </summary>
public sealed record ReceiverEndpoint
{
    public required string Host { get; init; }
    public required int Port { get; init; }

    /// <summary>TLS on the socket. The platform requires it; a local broker in tests may not.</summary>
    public bool UseTls { get; init; } = true;

    /// <summary>SASL PLAIN user name. Never logged by this library (it can carry an STS token).</summary>
    public required string UserName { get; init; }

    /// <summary>SASL PLAIN password. Never logged.</summary>
    public required string Password { get; init; }

    /// <summary>Short, loggable name for this connection, e.g. the client ID.</summary>
    public string Name { get; init; } = "receiver";

    /// <summary>Link source address. The platform ignores it; brokers need a queue address.</summary>
    public string? SourceAddress { get; init; }

    /// <summary>
    /// The idle timeout the peer sees in our Open frame. AMQPNetLite advertises half of its own
    /// setting, so the receiver configures twice this value (and declares a silent peer dead after that).
    /// </summary>
    public TimeSpan AdvertisedIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most un-acked deliveries at once; credit is restored only as deliveries are settled.</summary>
    public int Credit { get; init; } = 100;

    /// <summary>
    /// How many settled deliveries trigger a flow that restores credit. null = half the credit
    /// (AMQPNetLite's default). Set it to <see cref="Credit"/> for brokers that miscount credit when
    /// transfers cross a flow (RabbitMQ 3.x's AMQP 1.0 plugin then overruns the window): credit is then
    /// only restored once every delivery of the window is settled, so nothing is in transit.
    /// </summary>
    public int? CreditRestoreThreshold { get; init; }

    /// <summary>Budget for TCP + TLS + SASL + Open + attach.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra roots trusted besides the system store (e.g. the emulator's certificate).</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>How often the watchdog looks for a connection that died without telling us.</summary>
    public TimeSpan WatchdogInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Safe to log: no user name, no password.</summary>
    public override string ToString() => $"{(UseTls ? "amqps" : "amqp")}://{Host}:{Port} ({Name})";
}
