using System.Reflection;
using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class LifecyclePayloadTests
{
    private const string Secret = "EXAMPLEdeviceSecretDoNotLeak42";

    // Spec §5.7, with a recognisable secret in place of the placeholder.
    private const string SpecExample =
        """
        {"action":"create","iotId":"Zq7x...","productKey":"a1Bc","deviceName":"dev01",
         "deviceSecret":"EXAMPLEdeviceSecretDoNotLeak42","messageCreateTime":1709258405120}
        """;

    [Fact]
    public void Spec_example_reads_action_device_and_time()
    {
        var result = PayloadReader.ReadLifecycle(Body(SpecExample));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(new LifecyclePayload(LifecycleAction.Create, "a1Bc", "dev01", "Zq7x...", 1709258405120), result.Value);
    }

    [Fact]
    public void Device_secret_is_neither_kept_nor_shown()
    {
        var result = PayloadReader.ReadLifecycle(Body(SpecExample));

        Assert.DoesNotContain(Secret, result.ToString());
        Assert.DoesNotContain(Secret, result.Value!.ToString());
        foreach (var property in typeof(LifecyclePayload).GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            Assert.DoesNotContain(Secret, property.GetValue(result.Value)?.ToString() ?? "");
        }
        foreach (var field in typeof(LifecyclePayload).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            Assert.DoesNotContain(Secret, field.GetValue(result.Value)?.ToString() ?? "");
        }
    }

    [Fact]
    public void Device_secret_does_not_leak_through_a_failure_reason()
    {
        const string json = """{"action":"create","deviceSecret":"EXAMPLEdeviceSecretDoNotLeak42","productKey":"a1Bc","messageCreateTime":1}""";

        var result = PayloadReader.ReadLifecycle(Body(json));

        Assert.False(result.IsSuccess);
        Assert.DoesNotContain(Secret, result.ToString());
    }

    [Theory]
    [InlineData("create", LifecycleAction.Create)]
    [InlineData("delete", LifecycleAction.Delete)]
    [InlineData("enable", LifecycleAction.Enable)]
    [InlineData("disable", LifecycleAction.Disable)]
    [InlineData("Disable", LifecycleAction.Disable)]
    public void Every_action_is_read(string action, LifecycleAction expected)
    {
        var json = $$"""{"action":"{{action}}","productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""";

        Assert.Equal(expected, PayloadReader.ReadLifecycle(Body(json)).Value?.Action);
    }

    [Theory]
    [InlineData("""{"action":"rename","productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""", PayloadError.InvalidValue, "'action'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""", PayloadError.MissingField, "'action'")]
    [InlineData("""{"action":"create","productKey":"a1Bc","deviceName":"dev01"}""", PayloadError.MissingField, "'messageCreateTime'")]
    [InlineData("""{"action":"create","productKey":"a1Bc","deviceName":"dev01","messageCreateTime":"later"}""", PayloadError.WrongType, "'messageCreateTime'")]
    public void Bad_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadLifecycle(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
