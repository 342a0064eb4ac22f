using System.Text;
using IotActors.Platform.Messages;

namespace IotActors.Platform.Tests.Messages;

/// <summary>Every reader turns every kind of garbage into a typed failure, never an exception.</summary>
public class MalformedBodyTests
{
    // Reader names rather than delegates, so each theory row has a readable, serializable name.
    private static readonly Dictionary<string, Func<ReadOnlyMemory<byte>, (PayloadError Error, string? Reason)>> Readers = new()
    {
        ["Status"] = b => Outcome(PayloadReader.ReadStatus(b)),
        ["PropertyPost"] = b => Outcome(PayloadReader.ReadPropertyPost(b)),
        ["EventPost"] = b => Outcome(PayloadReader.ReadEventPost(b)),
        ["BatchPost"] = b => Outcome(PayloadReader.ReadBatchPost(b)),
        ["DownlinkReply"] = b => Outcome(PayloadReader.ReadDownlinkReply(b)),
        ["Lifecycle"] = b => Outcome(PayloadReader.ReadLifecycle(b)),
        ["TopoLifecycle"] = b => Outcome(PayloadReader.ReadTopoLifecycle(b)),
        ["ListFound"] = b => Outcome(PayloadReader.ReadListFound(b)),
        ["OtaUpgrade"] = b => Outcome(PayloadReader.ReadOtaUpgrade(b)),
        ["OtaProgress"] = b => Outcome(PayloadReader.ReadOtaProgress(b)),
        ["OtaVersion"] = b => Outcome(PayloadReader.ReadOtaVersion(b)),
        ["OtaJobStatus"] = b => Outcome(PayloadReader.ReadOtaJobStatus(b)),
        ["DeviceInfoUpdate"] = b => Outcome(PayloadReader.ReadDeviceInfoUpdate(b)),
    };

    // Named rows: the name is what the theory shows, the bytes stay here.
    private static readonly (string Name, byte[] Body, PayloadError Error)[] Bodies =
    [
        ("empty", [], PayloadError.EmptyBody),
        ("only a byte-order mark", [0xEF, 0xBB, 0xBF], PayloadError.EmptyBody),
        ("binary 0xFF 0xFE", [0xFF, 0xFE], PayloadError.NotUtf8),
        ("binary with a lone continuation byte", [0x7B, 0x80, 0x7D], PayloadError.NotUtf8),
        ("not json", Encoding.UTF8.GetBytes("not json"), PayloadError.MalformedJson),
        ("truncated object", Encoding.UTF8.GetBytes("""{"status":"online","productKey":"a1"""), PayloadError.MalformedJson),
        ("trailing comma", Encoding.UTF8.GetBytes("""{"productKey":"a1Bc",}"""), PayloadError.MalformedJson),
        ("comment", Encoding.UTF8.GetBytes("""{/* hi */}"""), PayloadError.MalformedJson),
        ("two documents", Encoding.UTF8.GetBytes("{}{}"), PayloadError.MalformedJson),
        ("garbage after the object", Encoding.UTF8.GetBytes("{} x"), PayloadError.MalformedJson),
        ("whitespace only", Encoding.UTF8.GetBytes("  \n "), PayloadError.MalformedJson),
        ("too deep", Encoding.UTF8.GetBytes("""{"a":""" + new string('[', 200) + new string(']', 200) + "}"), PayloadError.MalformedJson),
        ("array", Encoding.UTF8.GetBytes("[]"), PayloadError.NotAnObject),
        ("string", Encoding.UTF8.GetBytes("\"online\""), PayloadError.NotAnObject),
        ("number", Encoding.UTF8.GetBytes("5"), PayloadError.NotAnObject),
        ("null", Encoding.UTF8.GetBytes("null"), PayloadError.NotAnObject),
        ("empty object", Encoding.UTF8.GetBytes("{}"), PayloadError.MissingField),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var reader in Readers.Keys)
            foreach (var body in Bodies)
                data.Add(reader, body.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_body_gives_typed_failure_not_exception(string reader, string body)
    {
        var (_, bytes, expected) = Bodies.Single(b => b.Name == body);

        var (error, reason) = Readers[reader](bytes);

        Assert.Equal(expected, error);
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void Json_error_reason_gives_position_not_body_text()
    {
        var result = PayloadReader.ReadStatus(Encoding.UTF8.GetBytes("""{"status": secretword}"""));

        Assert.Equal(PayloadError.MalformedJson, result.Error);
        Assert.DoesNotContain("secretword", result.Reason);
        Assert.Contains("byte", result.Reason);
    }

    [Fact]
    public void Byte_order_mark_before_json_is_skipped()
    {
        var json = Encoding.UTF8.GetBytes("""{"action":"delete","productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""");

        var result = PayloadReader.ReadLifecycle(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(json).ToArray());

        Assert.True(result.IsSuccess, result.ToString());
    }

    [Fact]
    public void Unknown_extra_fields_are_ignored_at_every_level()
    {
        const string json = """
            {"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1,"newTopLevel":{"x":[1,2]},"checkFailedData":{"Bad":{"value":1}},
             "items":{"T":{"value":1,"time":2,"unit":"°C","quality":"good"}}}
            """;

        var result = PayloadReader.ReadPropertyPost(Encoding.UTF8.GetBytes(json));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, result.Value.Items["T"].Time);
    }

    [Fact]
    public void A_slice_of_a_larger_buffer_is_read_alone()
    {
        var buffer = Encoding.UTF8.GetBytes("garbage{\"action\":\"enable\",\"productKey\":\"a1Bc\",\"deviceName\":\"dev01\",\"messageCreateTime\":1}garbage");

        var result = PayloadReader.ReadLifecycle(buffer.AsMemory(7, buffer.Length - 14));

        Assert.Equal(LifecycleAction.Enable, result.Value?.Action);
    }

    private static (PayloadError, string?) Outcome<T>(PayloadResult<T> result) where T : class => (result.Error, result.Reason);
}
