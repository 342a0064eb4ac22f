using System.Text;
using Akka.Configuration;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Serialization;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Devices;

/// <summary>Builders for device commands and the actor-system configuration the device tests share.</summary>
internal static class TestDevices
{
    /// <summary>
    /// Every message is serialized and deserialized on the way (as between nodes), with the IotActors
    /// serializer registered; no journal configured.
    /// </summary>
    public static readonly Config SerializingConfig = ConfigurationFactory.ParseString(
        """
        akka.actor.serialize-messages = on
        akka.loglevel = WARNING
        # Expectations without an explicit timeout wait up to this long: generous, since test classes share 2 cores.
        akka.test.single-expect-default = 10s
        # The journal passes events inside Akka.Persistence's own internal messages, which serialize-messages
        # verifies with Akka's Newtonsoft fallback; reference preservation breaks it on immutable dictionaries (the twin).
        akka.actor.serialization-settings.json.preserve-object-references = false
        """)
        .WithFallback(IotActorsSerialization.Config);

    /// <summary><see cref="SerializingConfig"/> with device state in the in-memory journal of the test's actor system.</summary>
    public static readonly Config Config = SerializingConfig.WithFallback(DevicePersistenceHostingExtensions.InMemoryConfig);

    /// <summary>Timers and receive timeouts run on virtual time, advanced by the test.</summary>
    public static readonly Config VirtualTimeConfig = ConfigurationFactory
        .ParseString("""akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit" """)
        .WithFallback(Config);

    public static readonly DeviceId Device = new("a1Bc", "dev01");

    public const string ClientId = "client-1";

    /// <summary>A custom-topic message with a text body; <paramref name="body"/> steers the test behaviors.</summary>
    public static DeviceEnvelope Envelope(DeviceId device, string messageId, long sequence, string body = "ok", long generation = 1) =>
        Envelope(device, $"/{device.ProductKey}/{device.DeviceName}/user/test", messageId, sequence, body, generation);

    public static DeviceEnvelope Envelope(DeviceId device, string topic, string messageId, long sequence, string body, long generation = 1) =>
        new(device, Message(topic, messageId, body, receivedAt: 1_709_258_400_000 + sequence), new DeliveryRef(ClientId, generation, sequence));

    /// <summary>A message as the connection would build it: kind and identifier come from the topic.</summary>
    public static DeviceMessage Message(string topic, string messageId, string body, long receivedAt = 1_709_258_400_000)
    {
        var parsed = TopicParser.Parse(topic);
        if (!parsed.IsSuccess) throw new ArgumentException(parsed.Reason, nameof(topic));
        return new DeviceMessage(messageId, topic, parsed.Topic.Kind, parsed.Topic.Identifier, null, receivedAt, Encoding.UTF8.GetBytes(body));
    }
}
