using System.Text.Json;
using System.Text.Unicode;

namespace IotActors.Platform.Messages;

/// <summary>
/// Reads the JSON bodies of system topics (spec §5) into typed payloads. Every method returns a
/// <see cref="PayloadResult{T}"/> and never throws, whatever the bytes: a bad body is parked with
/// its reason and the next message flows.
/// </summary>
/// <remarks>
/// Unknown fields are ignored (newer payloads add fields). Values kept as <see cref="JsonElement"/>
/// belong to a document that owns its memory, so results outlive the body buffer. Custom topics are not read here: their bodies
/// are whatever the device sent.
/// </remarks>
public static class PayloadReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary><c>/as/mqtt/status/pk/dn</c> (§5.1).</summary>
    public static PayloadResult<StatusPayload> ReadStatus(ReadOnlyMemory<byte> body) => Read(body, StatusPayload.Read);

    /// <summary><c>thing/event/property/post</c> and <c>thing/event/property/history/post</c> (§5.2, §5.5).</summary>
    public static PayloadResult<PropertyPostPayload> ReadPropertyPost(ReadOnlyMemory<byte> body) => Read(body, PropertyPostPayload.Read);

    /// <summary><c>thing/event/{identifier}/post</c> and <c>thing/event/{identifier}/history/post</c> (§5.3, §5.5).</summary>
    public static PayloadResult<EventPostPayload> ReadEventPost(ReadOnlyMemory<byte> body) => Read(body, EventPostPayload.Read);

    /// <summary><c>thing/property/batch/post</c> and <c>thing/event/batch/post</c> (§5.4).</summary>
    public static PayloadResult<BatchPostPayload> ReadBatchPost(ReadOnlyMemory<byte> body) => Read(body, BatchPostPayload.Read);

    /// <summary><c>thing/downlink/reply/message</c> (§5.6).</summary>
    public static PayloadResult<DownlinkReplyPayload> ReadDownlinkReply(ReadOnlyMemory<byte> body) => Read(body, DownlinkReplyPayload.Read);

    /// <summary><c>thing/lifecycle</c> (§5.7). The <c>deviceSecret</c> of a create is never read.</summary>
    public static PayloadResult<LifecyclePayload> ReadLifecycle(ReadOnlyMemory<byte> body) => Read(body, LifecyclePayload.Read);

    /// <summary><c>thing/topo/lifecycle</c> (§5.8).</summary>
    public static PayloadResult<TopoLifecyclePayload> ReadTopoLifecycle(ReadOnlyMemory<byte> body) => Read(body, TopoLifecyclePayload.Read);

    /// <summary><c>thing/list/found</c> (§5.9).</summary>
    public static PayloadResult<ListFoundPayload> ReadListFound(ReadOnlyMemory<byte> body) => Read(body, ListFoundPayload.Read);

    /// <summary><c>ota/upgrade</c> (§5.10).</summary>
    public static PayloadResult<OtaUpgradePayload> ReadOtaUpgrade(ReadOnlyMemory<byte> body) => Read(body, OtaUpgradePayload.Read);

    /// <summary><c>ota/progress/post</c> (§5.10).</summary>
    public static PayloadResult<OtaProgressPayload> ReadOtaProgress(ReadOnlyMemory<byte> body) => Read(body, OtaProgressPayload.Read);

    /// <summary><c>ota/version/post</c> (§5.10).</summary>
    public static PayloadResult<OtaVersionPayload> ReadOtaVersion(ReadOnlyMemory<byte> body) => Read(body, OtaVersionPayload.Read);

    /// <summary><c>/pk/{packageId}/{jobId}/ota/job/status</c> (§5.10).</summary>
    public static PayloadResult<OtaJobStatusPayload> ReadOtaJobStatus(ReadOnlyMemory<byte> body) => Read(body, OtaJobStatusPayload.Read);

    /// <summary><c>thing/deviceinfo/update</c> (§5.11).</summary>
    public static PayloadResult<DeviceInfoUpdatePayload> ReadDeviceInfoUpdate(ReadOnlyMemory<byte> body) => Read(body, DeviceInfoUpdatePayload.Read);

    private static PayloadResult<T> Read<T>(ReadOnlyMemory<byte> body, Func<PayloadFields, PayloadResult<T>> map)
        where T : class
    {
        var bytes = body;
        // Some producers prefix a UTF-8 byte-order mark; the JSON reader would reject it.
        if (bytes.Span.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        if (bytes.IsEmpty) return PayloadResult<T>.Failure(PayloadError.EmptyBody, "body is empty");
        // Checked apart from JSON so a binary payload is reported as such, not as a JSON syntax error.
        if (!Utf8.IsValid(bytes.Span)) return PayloadResult<T>.Failure(PayloadError.NotUtf8, "body is not valid UTF-8");

        JsonElement root;
        try
        {
            // ParseValue gives a document that owns its memory (not pooled): the elements a payload keeps stay valid
            // without a Clone each — Clone is then free. A pooled JsonDocument made every kept value a document of its
            // own: 45 of them for a 2 KB property post (measured in BENCHMARKS.md).
            var reader = new Utf8JsonReader(bytes.Span, Options);
            root = JsonElement.ParseValue(ref reader);
            // As JsonDocument.Parse: nothing but whitespace may follow the value (the reader throws on a second value).
            if (reader.Read())
                return PayloadResult<T>.Failure(PayloadError.MalformedJson, $"body is not valid JSON (data after the value at byte {reader.TokenStartIndex})");
        }
        catch (JsonException e)
        {
            // The exception message can quote body text; keep only the position.
            return PayloadResult<T>.Failure(PayloadError.MalformedJson,
                $"body is not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine})");
        }

        if (root.ValueKind != JsonValueKind.Object)
            return PayloadResult<T>.Failure(PayloadError.NotAnObject, $"body must be a JSON object, not {root.ValueKind}");
        return map(new PayloadFields(root));
    }
}
