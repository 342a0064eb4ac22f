using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class GatewayPayloadTests
{
    // Spec §5.8, verbatim.
    private const string TopoExample =
        """
        {"action":"create","gwIotId":"Gw1...","gwProductKey":"gwPk","gwDeviceName":"gw01",
         "devices":[{"iotId":"Sub1...","productKey":"subPk","deviceName":"sub01"}],
         "messageCreateTime":1709258405120}
        """;

    [Fact]
    public void Topology_change_reads_gateway_and_sub_devices()
    {
        var result = PayloadReader.ReadTopoLifecycle(Body(TopoExample));

        Assert.True(result.IsSuccess, result.ToString());
        var t = result.Value;
        Assert.Equal(LifecycleAction.Create, t.Action);
        Assert.Equal(new DeviceId("gwPk", "gw01"), t.Gateway);
        Assert.Equal("Gw1...", t.GatewayIotId);
        Assert.Equal([new SubDevice("subPk", "sub01", "Sub1...")], t.Devices);
        Assert.Equal(1709258405120, t.MessageCreateTime);
    }

    [Fact]
    public void Discovered_sub_devices_read_without_action_or_time()
    {
        const string json = """
            {"gwIotId":"Gw1...","gwProductKey":"gwPk","gwDeviceName":"gw01",
             "devices":[{"productKey":"subPk","deviceName":"sub01"},{"productKey":"subPk","deviceName":"sub02","deviceSecret":"x"}]}
            """;

        var result = PayloadReader.ReadListFound(Body(json));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(new DeviceId("gwPk", "gw01"), result.Value.Gateway);
        Assert.Equal([new DeviceId("subPk", "sub01"), new DeviceId("subPk", "sub02")], result.Value.Devices.Select(d => d.Device));
    }

    [Theory]
    [InlineData("""{"action":"create","gwProductKey":"gwPk","gwDeviceName":"gw01","messageCreateTime":1}""", PayloadError.MissingField, "'devices'")]
    [InlineData("""{"action":"create","gwProductKey":"gwPk","gwDeviceName":"gw01","devices":{},"messageCreateTime":1}""", PayloadError.WrongType, "'devices'")]
    [InlineData("""{"action":"create","gwProductKey":"gwPk","gwDeviceName":"gw01","devices":["sub01"],"messageCreateTime":1}""", PayloadError.WrongType, "'devices[0]'")]
    [InlineData("""{"action":"create","gwProductKey":"gwPk","gwDeviceName":"gw01","devices":[{"productKey":"subPk"}],"messageCreateTime":1}""", PayloadError.MissingField, "'devices[0].deviceName'")]
    [InlineData("""{"action":"create","gwDeviceName":"gw01","devices":[],"messageCreateTime":1}""", PayloadError.MissingField, "'gwProductKey'")]
    public void Bad_topology_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadTopoLifecycle(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
