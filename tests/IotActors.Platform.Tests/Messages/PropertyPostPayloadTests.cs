using System.Text.Json;
using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class PropertyPostPayloadTests
{
    // Spec §5.2, verbatim apart from the elided iotId.
    private const string SpecExample =
        """
        {"iotId":"Zq7x...","requestId":"42","productKey":"a1Bc","deviceName":"dev01",
         "deviceType":"CustomCategory","gmtCreate":1709258405120,"checkFailedData":{},
         "items":{"Temperature":{"value":21.5,"time":1709258405100},
                  "Position":{"value":{"latitude":31.2,"longitude":121.4},"time":1709258405100}}}
        """;

    [Fact]
    public void Spec_example_reads_every_item_with_its_value_and_time()
    {
        var result = PayloadReader.ReadPropertyPost(Body(SpecExample));

        Assert.True(result.IsSuccess, result.ToString());
        var p = result.Value;
        Assert.Equal(new DeviceId("a1Bc", "dev01"), p.Device);
        Assert.Equal("Zq7x...", p.IotId);
        Assert.Equal("42", p.RequestId);
        Assert.Equal(1709258405120, p.GmtCreate);
        Assert.Equal(["Position", "Temperature"], p.Items.Keys.Order());
        Assert.Equal(21.5, p.Items["Temperature"].Value.GetDouble());
        Assert.Equal(1709258405100, p.Items["Temperature"].Time);
        Assert.Equal(121.4, p.Items["Position"].Value.GetProperty("longitude").GetDouble());
    }

    [Fact]
    public void Item_values_outlive_the_body_buffer()
    {
        var bytes = Body(SpecExample).ToArray();

        var p = PayloadReader.ReadPropertyPost(bytes).Value;
        Array.Clear(bytes);

        Assert.NotNull(p);
        Assert.Equal(31.2, p.Items["Position"].Value.GetProperty("latitude").GetDouble());
    }

    [Fact]
    public void Item_without_time_falls_back_to_gmt_create()
    {
        const string json = """
            {"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120,
             "items":{"Switch":{"value":1},"Mode":{"value":"eco","time":1709258400000}}}
            """;

        var p = PayloadReader.ReadPropertyPost(Body(json)).Value;

        Assert.NotNull(p);
        Assert.Equal(1709258405120, p.Items["Switch"].Time);
        Assert.Equal(1709258400000, p.Items["Mode"].Time);
    }

    [Fact]
    public void Stale_item_time_is_kept_as_sent_not_replaced()
    {
        // A history upload or a device with a bad clock: the time is data, ordering is the caller's call.
        const string json = """
            {"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120,
             "items":{"Temperature":{"value":20,"time":946684800000}}}
            """;

        Assert.Equal(946684800000, PayloadReader.ReadPropertyPost(Body(json)).Value?.Items["Temperature"].Time);
    }

    [Fact]
    public void Time_and_numeric_request_id_given_as_strings_or_numbers_are_accepted()
    {
        const string json = """
            {"productKey":"a1Bc","deviceName":"dev01","requestId":42,"gmtCreate":"1709258405120",
             "items":{"Temperature":{"value":20,"time":"1709258405100"}}}
            """;

        var p = PayloadReader.ReadPropertyPost(Body(json)).Value;

        Assert.NotNull(p);
        Assert.Equal("42", p.RequestId);
        Assert.Equal(1709258405120, p.GmtCreate);
        Assert.Equal(1709258405100, p.Items["Temperature"].Time);
    }

    [Fact]
    public void Null_and_empty_items_are_values_too()
    {
        const string json = """{"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1,"items":{"Note":{"value":null},"Empty":{"value":""}}}""";

        var p = PayloadReader.ReadPropertyPost(Body(json)).Value;

        Assert.NotNull(p);
        Assert.Equal(JsonValueKind.Null, p.Items["Note"].Value.ValueKind);
        Assert.Equal("", p.Items["Empty"].Value.GetString());
    }

    [Fact]
    public void No_items_is_an_empty_report()
    {
        const string json = """{"productKey":"a1Bc","deviceName":"dev01","items":{}}""";

        Assert.Empty(PayloadReader.ReadPropertyPost(Body(json)).Value!.Items);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01"}""", PayloadError.MissingField, "'items'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":[]}""", PayloadError.WrongType, "'items'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"T":21.5}}""", PayloadError.WrongType, "'items.T'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"T":{"time":1}}}""", PayloadError.MissingField, "'items.T.value'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"T":{"value":1}}}""", PayloadError.MissingField, "'items.T.time'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1,"items":{"T":{"value":1,"time":"noon"}}}""", PayloadError.WrongType, "'items.T.time'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1.5,"items":{}}""", PayloadError.WrongType, "'gmtCreate'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","requestId":{},"items":{}}""", PayloadError.WrongType, "'requestId'")]
    [InlineData("""{"deviceName":"dev01","items":{}}""", PayloadError.MissingField, "'productKey'")]
    public void Bad_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadPropertyPost(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
