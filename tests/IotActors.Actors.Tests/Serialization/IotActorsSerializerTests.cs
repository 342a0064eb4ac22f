using System.Collections.Immutable;
using System.Text;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Serialization;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Tests.Serialization;

public class IotActorsSerializerTests() : TestKit(TestDevices.Config)
{
    private static readonly DeviceId Device = new("a1Bc", "dev-01@x:y");
    private static readonly DeliveryRef Delivery = new("client-1", 3, 42);

    private static DeviceMessage Message(string? identifier = "alarm", long? generateTime = 1_700_000_000_000) =>
        new("msg-1", "/a1Bc/dev-01/thing/event/alarm/post", MessageKind.EventPost, identifier, generateTime, 1_709_258_400_123, new byte[] { 0, 1, 2, 255 });

    internal static DeviceTwin FullTwin() => DeviceTwin.Empty(Device) with
    {
        Properties = DeviceTwin.Empty(Device).Properties
            .SetItem("Temperature", new TwinProperty("21.5", 1000))
            .SetItem("Location", new TwinProperty("""{"latitude":31.2}""", 2000)),
        Events = DeviceTwin.Empty(Device).Events
            .SetItem("alarm", new TwinEvent("alert", """{"level":3}""", 3000))
            .SetItem("batched", new TwinEvent(null, "{}", 4000)),
        Status = new TwinStatus(DeviceStatus.Online, new DateTimeOffset(2024, 3, 1, 10, 1, 0, TimeSpan.FromHours(8)), DateTimeOffset.Parse("2024-03-01T02:00:59Z", System.Globalization.CultureInfo.InvariantCulture), "10.0.0.1"),
        Lifecycle = new TwinLifecycle(LifecycleAction.Enable, 5000),
        MalformedMessages = 2,
        IgnoredMessages = 7,
        LastError = new TwinError("bad", "/a1Bc/dev-01/thing/event/property/post", "MalformedJson: not json"),
    };

    private T RoundTrip<T>(T value, string manifest)
        where T : notnull
    {
        var serializer = Sys.Serialization.FindSerializerFor(value);
        Assert.IsType<IotActorsSerializer>(serializer);
        Assert.Equal(IotActorsSerializer.SerializerId, serializer.Identifier);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, value));
        var bytes = serializer.ToBinary(value);
        var back = Assert.IsType<T>(Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
        // Same bytes again: every field survived (dictionaries are written in key order, so this is exact).
        Assert.Equal(bytes, serializer.ToBinary(back));
        return back;
    }

    [Fact]
    public void Device_envelope_round_trips_with_its_message_and_delivery()
    {
        var back = RoundTrip(new DeviceEnvelope(Device, Message(), Delivery), "DE1");
        Assert.Equal((Device, Delivery), (back.Device, back.Delivery));
        Assert.Equal(Message() with { Body = back.Message.Body }, back.Message);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, back.Message.Body.ToArray());

        var sparse = RoundTrip(new DeviceEnvelope(Device, Message(null, null) with { Body = ReadOnlyMemory<byte>.Empty }, Delivery), "DE1");
        Assert.Null(sparse.Message.Identifier);
        Assert.Null(sparse.Message.GenerateTime);
        Assert.True(sparse.Message.Body.IsEmpty);
    }

    [Fact]
    public void Replies_and_queries_round_trip()
    {
        Assert.Equal(new Processed(Delivery, ProcessOutcome.Parked), RoundTrip(new Processed(Delivery, ProcessOutcome.Parked), "PR1"));
        Assert.Equal(new ProcessingFailed(Delivery, "boom"), RoundTrip(new ProcessingFailed(Delivery, "boom"), "PF1"));
        Assert.Equal(new GetDeviceState(Device), RoundTrip(new GetDeviceState(Device), "GS1"));
        Assert.Equal(new DeviceRecovered(Device, 200, 50, 250), RoundTrip(new DeviceRecovered(Device, 200, 50, 250), "DR1"));
    }

    [Fact]
    public void State_reply_round_trips_the_twin_and_json_user_states()
    {
        var twinReply = RoundTrip(new DeviceStateReply(Device, FullTwin(), 5, 1, 2, 123), "SR1");
        AssertTwin(FullTwin(), Assert.IsType<DeviceTwin>(twinReply.State));
        Assert.Equal((5L, 1L, 2L, 123L), (twinReply.MessagesApplied, twinReply.DuplicatesDropped, twinReply.Parked, twinReply.LastSeen));

        var list = RoundTrip(new DeviceStateReply(Device, ImmutableList.Create("m1", "m2"), 2, 0, 0, 0), "SR1");
        Assert.Equal(["m1", "m2"], Assert.IsType<ImmutableList<string>>(list.State));

        var custom = RoundTrip(new DeviceStateReply(Device, new CounterState(3, "x", ImmutableDictionary<string, long>.Empty.Add("a", 1)), 1, 0, 0, 0), "SR1");
        var state = Assert.IsType<CounterState>(custom.State);
        Assert.Equal((3, "x", 1L), (state.Count, state.Name, state.ByKey["a"]));
    }

    [Fact]
    public void Device_twin_round_trips_on_its_own_with_every_part()
    {
        AssertTwin(FullTwin(), RoundTrip(FullTwin(), "TW1"));
        AssertTwin(DeviceTwin.Empty(Device), RoundTrip(DeviceTwin.Empty(Device), "TW1"));
    }

    [Fact]
    public void Twins_read_back_share_their_identifiers_strings()
    {
        var first = RoundTrip(FullTwin(), "TW1");
        var second = RoundTrip(FullTwin(), "TW1");

        Assert.Same(first.Properties.Keys.Single(k => k == "Temperature"), second.Properties.Keys.Single(k => k == "Temperature"));
        Assert.Same(first.Events.Keys.Single(k => k == "alarm"), second.Events.Keys.Single(k => k == "alarm"));
    }

    [Fact]
    public void Passivation_messages_round_trip()
    {
        Assert.Same(StopDevice.Instance, RoundTrip(StopDevice.Instance, "SD1"));
        Assert.Same(StopDevice.Instance, RoundTrip(new Passivate(StopDevice.Instance), "PV1").StopMessage);
    }

    [Fact]
    public void Event_stream_notifications_round_trip()
    {
        var parked = RoundTrip(new ParkedMessage(Device, "m1", "/t", "boom", new byte[] { 9 }), "PM1");
        Assert.Equal(("m1", "/t", "boom"), (parked.MessageId, parked.Topic, parked.Reason));
        Assert.Equal(new byte[] { 9 }, parked.Body.ToArray());
        Assert.Equal(new DeviceOutput(Device, "m1", "out:m1"), RoundTrip(new DeviceOutput(Device, "m1", "out:m1"), "DO1"));
    }

    [Fact]
    public void Journal_events_round_trip()
    {
        var applied = RoundTrip(new MessageApplied("m1", 77, FullTwin()), "EA1");
        Assert.Equal(("m1", 77L), (applied.MessageId, applied.ReceivedAt));
        AssertTwin(FullTwin(), Assert.IsType<DeviceTwin>(applied.State));
        Assert.Equal(["a"], Assert.IsType<ImmutableList<string>>(RoundTrip(new MessageApplied("m2", 1, ImmutableList.Create("a")), "EA1").State));
        Assert.Equal(new MessageParked("m3", 5), RoundTrip(new MessageParked("m3", 5), "EP1"));
        Assert.Equal(new DuplicateDropped("m4"), RoundTrip(new DuplicateDropped("m4"), "ED1"));
    }

    [Fact]
    public void Snapshot_round_trips_state_window_and_counters()
    {
        var window = DedupeWindow.From(3, ["a", "b", "c", "d"]);
        var back = RoundTrip(new DeviceSnapshot(FullTwin(), window, 10, 2, 1, 999), "SS2");
        AssertTwin(FullTwin(), Assert.IsType<DeviceTwin>(back.State));
        Assert.Equal(3, back.Dedupe.Capacity);
        Assert.Equal(window.Hashes, back.Dedupe.Hashes);
        Assert.True(back.Dedupe.Contains("b") && back.Dedupe.Contains("d") && !back.Dedupe.Contains("a"));
        Assert.Equal((10L, 2L, 1L, 999L), (back.MessagesApplied, back.DuplicatesDropped, back.Parked, back.LastSeen));
    }

    [Fact]
    public void Snapshot_of_the_first_format_with_id_text_is_still_read()
    {
        // SS1 as the first version wrote it: state, then capacity, count and each messageId as text, then the counters.
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(DeviceSnapshot));
        var current = serializer.ToBinary(new DeviceSnapshot(FullTwin(), DedupeWindow.Empty(3), 10, 2, 1, 999));
        using var old = new MemoryStream();
        using (var w = new BinaryWriter(old, Encoding.UTF8, leaveOpen: true))
        {
            var stateLength = current.Length - 8 - 4 * 8; // the new bytes end with an empty window (capacity, count) and four counters
            w.Write(current, 0, stateLength);
            w.Write(3);
            w.Write(2);
            w.Write("m-1");
            w.Write("m-2");
            foreach (var counter in new long[] { 10, 2, 1, 999 }) w.Write(counter);
        }

        var back = Assert.IsType<DeviceSnapshot>(serializer.FromBinary(old.ToArray(), "SS1"));
        AssertTwin(FullTwin(), Assert.IsType<DeviceTwin>(back.State));
        Assert.Equal(3, back.Dedupe.Capacity);
        Assert.True(back.Dedupe.Contains("m-1") && back.Dedupe.Contains("m-2") && !back.Dedupe.Contains("m-3"));
        Assert.Equal((10L, 2L, 1L, 999L), (back.MessagesApplied, back.DuplicatesDropped, back.Parked, back.LastSeen));
    }

    [Fact]
    public void Unknown_manifest_is_a_clear_error()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(Processed));
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "ZZ9"));
        Assert.Contains("ZZ9", error.Message, StringComparison.Ordinal);
        Assert.Equal("DE1", Encoding.ASCII.GetString(Encoding.ASCII.GetBytes(serializer.Manifest(new DeviceEnvelope(Device, Message(), Delivery)))));
    }

    private static void AssertTwin(DeviceTwin expected, DeviceTwin actual)
    {
        Assert.Equal(expected.Device, actual.Device);
        Assert.Equal(expected.Properties, actual.Properties); // both in identifier order
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Status?.Time.Offset, actual.Status?.Time.Offset);
        Assert.Equal(expected.Lifecycle, actual.Lifecycle);
        Assert.Equal((expected.MalformedMessages, expected.IgnoredMessages), (actual.MalformedMessages, actual.IgnoredMessages));
        Assert.Equal(expected.LastError, actual.LastError);
    }
}

/// <summary>A user state as the behavior docs describe it: an immutable record of plain values.</summary>
public sealed record CounterState(int Count, string Name, ImmutableDictionary<string, long> ByKey);
