using System.Text.Json;
using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class DownlinkReplyPayloadTests
{
    // Spec §5.6, verbatim apart from the elided iotId.
    private const string SpecExample =
        """
        {"gmtCreate":1709258405120,"iotId":"Zq7x...","productKey":"a1Bc","deviceName":"dev01",
         "requestId":"1234","code":200,"message":"success",
         "topic":"/sys/a1Bc/dev01/thing/service/property/set","data":{}}
        """;

    [Fact]
    public void Spec_example_reads_code_request_and_topic()
    {
        var result = PayloadReader.ReadDownlinkReply(Body(SpecExample));

        Assert.True(result.IsSuccess, result.ToString());
        var r = result.Value;
        Assert.Equal(new DeviceId("a1Bc", "dev01"), r.Device);
        Assert.Equal(200, r.Code);
        Assert.True(r.IsSuccess);
        Assert.Equal("success", r.Message);
        Assert.Equal("1234", r.RequestId);
        Assert.Equal("/sys/a1Bc/dev01/thing/service/property/set", r.Topic);
        Assert.Equal(JsonValueKind.Object, r.Data?.ValueKind);
        Assert.Equal(1709258405120, r.GmtCreate);
    }

    [Fact]
    public void Device_offline_reply_is_a_reply_not_a_failure()
    {
        const string json = """{"productKey":"a1Bc","deviceName":"dev01","requestId":"9","code":9201,"message":"device offline"}""";

        var r = PayloadReader.ReadDownlinkReply(Body(json)).Value;

        Assert.NotNull(r);
        Assert.False(r.IsSuccess);
        Assert.Equal(9201, r.Code);
        Assert.Null(r.Data);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01"}""", PayloadError.MissingField, "'code'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","code":"OK"}""", PayloadError.WrongType, "'code'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","code":99999999999}""", PayloadError.InvalidValue, "'code'")]
    public void Bad_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadDownlinkReply(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
