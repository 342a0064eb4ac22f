using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class DeviceInfoUpdatePayloadTests
{
    [Fact]
    public void Tag_change_reads_every_tag()
    {
        const string json = """
            {"iotId":"Zq7x...","productKey":"a1Bc","deviceName":"dev01",
             "value":[{"attrKey":"room","attrValue":"B-204"},{"attrKey":"retired"}],"messageCreateTime":1709258405120}
            """;

        var result = PayloadReader.ReadDeviceInfoUpdate(Body(json));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(new DeviceId("a1Bc", "dev01"), result.Value.Device);
        Assert.Equal([new DeviceTag("room", "B-204"), new DeviceTag("retired", null)], result.Value.Tags);
        Assert.Equal(1709258405120, result.Value.MessageCreateTime);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""", PayloadError.MissingField, "'value'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","value":["room"],"messageCreateTime":1}""", PayloadError.WrongType, "'value[0]'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","value":[{"attrValue":"x"}],"messageCreateTime":1}""", PayloadError.MissingField, "'value[0].attrKey'")]
    public void Bad_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadDeviceInfoUpdate(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
