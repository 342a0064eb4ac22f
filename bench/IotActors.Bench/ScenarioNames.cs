namespace IotActors.Bench;

/// <summary>The scenarios a bench run compares, by the names the report and the command line use.</summary>
public static class ScenarioNames
{
    /// <summary>A bare AMQPNetLite <c>ReceiverLink</c> that accepts each message in its callback: the transport's limit.</summary>
    public const string Ceiling = "ceiling";

    /// <summary>The vendor's .NET sample style: the callback reads topic and messageId, parses the JSON body, accepts. One connection.</summary>
    public const string VendorSample = "vendor-sample";

    /// <summary>IotActors.Platform's <c>AmqpReceiver</c> accepting in its callback: the adapter's own cost (opt-in).</summary>
    public const string Adapter = "adapter";

    /// <summary>The full pipeline, device twins with Akka's in-memory journal.</summary>
    public const string IotActorsMemory = "iotactors-memory";

    /// <summary>The full pipeline, device twins journaled to SQLite (Akka.Persistence.Sql), as <c>iot-actors run</c> does.</summary>
    public const string IotActorsDurable = "iotactors-durable";

    /// <summary>
    /// Akka's floor under <see cref="IotActorsMemory"/>: bare links, and per message a sharded entity that does nothing
    /// but answer, and an accept on the link's own actor.
    /// </summary>
    public const string AkkaFloor = "akka-floor";

    /// <summary>Akka's floor under <see cref="IotActorsDurable"/>: <see cref="AkkaFloor"/> whose entity journals each body to SQLite first.</summary>
    public const string AkkaPersistFloor = "akka-persist-floor";

    public static readonly IReadOnlyList<string> Known = [Ceiling, VendorSample, Adapter, AkkaFloor, AkkaPersistFloor, IotActorsMemory, IotActorsDurable];

    public static bool IsPipeline(string name) => name is IotActorsMemory or IotActorsDurable;
}
