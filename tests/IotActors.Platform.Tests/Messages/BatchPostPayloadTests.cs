using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class BatchPostPayloadTests
{
    // Shape of spec §5.4 (from community decoders).
    private const string Example =
        """
        {"iotId":"Zq7x...","requestId":"77","productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120,
         "payload":{"Temperature":[{"value":21.5,"time":1709258400000},{"value":21.7,"time":1709258401000}],
                    "Humidity":[{"value":40}]}}
        """;

    [Fact]
    public void Batch_reads_every_value_of_every_identifier_in_order()
    {
        var result = PayloadReader.ReadBatchPost(Body(Example));

        Assert.True(result.IsSuccess, result.ToString());
        var b = result.Value;
        Assert.Equal(new DeviceId("a1Bc", "dev01"), b.Device);
        Assert.Equal("77", b.RequestId);
        Assert.Equal([21.5, 21.7], b.Items["Temperature"].Select(v => v.Value.GetDouble()));
        Assert.Equal([1709258400000, 1709258401000], b.Items["Temperature"].Select(v => v.Time));
    }

    [Fact]
    public void Batch_value_without_time_falls_back_to_gmt_create()
    {
        Assert.Equal(1709258405120, PayloadReader.ReadBatchPost(Body(Example)).Value?.Items["Humidity"][0].Time);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01"}""", PayloadError.MissingField, "'payload'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","payload":{"T":{"value":1,"time":1}}}""", PayloadError.WrongType, "'payload.T'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","payload":{"T":[{"value":1,"time":1},5]}}""", PayloadError.WrongType, "'payload.T[1]'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","payload":{"T":[{"value":1}]}}""", PayloadError.MissingField, "'payload.T[0].time'")]
    public void Bad_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadBatchPost(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
