using Akka.Actor;
using Akka.Serialization;
using Akka.Util;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// An event or snapshot as Akka.Persistence.Sql stores it: the bytes its serializer writes, the serializer's manifest
/// and identifier. The same rules as the plugin's, so that the plugin's replay and snapshot load find the type again.
/// </summary>
internal readonly record struct SerializedPayload(byte[] Bytes, string Manifest, int SerializerId)
{
    /// <summary>Serializes <paramref name="payload"/> with the serializer Akka binds to its type (or <paramref name="defaultSerializer"/>).</summary>
    public static SerializedPayload Of(ExtendedActorSystem system, object payload, string defaultSerializer)
    {
        var serializer = system.Serialization.FindSerializerForType(payload.GetType(), defaultSerializer);
        var manifest = serializer switch
        {
            SerializerWithStringManifest withManifest => withManifest.Manifest(payload),
            { IncludeManifest: true } => payload.GetType().TypeQualifiedName(),
            _ => string.Empty,
        };
        // Inside the transport information, as the plugin does, so that actor references in a payload serialize.
        var bytes = Akka.Serialization.Serialization.WithTransport(system, (serializer, payload), static state => state.serializer.ToBinary(state.payload));
        return new SerializedPayload(bytes, manifest, serializer.Identifier);
    }
}
