using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class EventPostPayloadTests
{
    // Spec §5.3, verbatim apart from the elided iotId.
    private const string SpecExample =
        """
        {"identifier":"Overheat","name":"Overheat alarm","type":"alert","iotId":"Zq7x...",
         "productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120,
         "value":{"Temperature":88.0},"time":1709258405100}
        """;

    [Fact]
    public void Spec_example_reads_every_field()
    {
        var result = PayloadReader.ReadEventPost(Body(SpecExample));

        Assert.True(result.IsSuccess, result.ToString());
        var e = result.Value;
        Assert.Equal("Overheat", e.Identifier);
        Assert.Equal("Overheat alarm", e.Name);
        Assert.Equal("alert", e.Type);
        Assert.Equal("Zq7x...", e.IotId);
        Assert.Equal(new DeviceId("a1Bc", "dev01"), e.Device);
        Assert.Equal(1709258405120, e.GmtCreate);
        Assert.Equal(1709258405100, e.Time);
        Assert.Equal(88.0, e.Value.GetProperty("Temperature").GetDouble());
    }

    [Fact]
    public void Event_without_time_falls_back_to_gmt_create()
    {
        const string json = """{"identifier":"Boot","productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120,"value":{}}""";

        Assert.Equal(1709258405120, PayloadReader.ReadEventPost(Body(json)).Value?.Time);
    }

    [Fact]
    public void Unknown_event_type_is_kept_as_text()
    {
        const string json = """{"identifier":"Boot","type":"notice","productKey":"a1Bc","deviceName":"dev01","time":1,"value":{}}""";

        Assert.Equal("notice", PayloadReader.ReadEventPost(Body(json)).Value?.Type);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","time":1,"value":{}}""", PayloadError.MissingField, "'identifier'")]
    [InlineData("""{"identifier":"Boot","productKey":"a1Bc","deviceName":"dev01","time":1}""", PayloadError.MissingField, "'value'")]
    [InlineData("""{"identifier":"Boot","productKey":"a1Bc","deviceName":"dev01","value":{}}""", PayloadError.MissingField, "'time'")]
    [InlineData("""{"identifier":"Boot","productKey":"a1Bc","deviceName":"dev01","time":true,"value":{}}""", PayloadError.WrongType, "'time'")]
    [InlineData("""{"identifier":"Boot","name":1,"productKey":"a1Bc","deviceName":"dev01","time":1,"value":{}}""", PayloadError.WrongType, "'name'")]
    public void Bad_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadEventPost(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
