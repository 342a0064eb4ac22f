using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class OtaPayloadTests
{
    [Fact]
    public void Upgrade_result_reads_status_versions_and_job()
    {
        const string json = """
            {"iotId":"Zq7x...","productKey":"a1Bc","deviceName":"dev01","status":"SUCCEEDED","messageCreateTime":1709258405120,
             "srcVersion":"1.0.0","destVersion":"1.1.0","desc":"ok","jobId":"job-7","taskId":"task-1","moduleName":"default"}
            """;

        var result = PayloadReader.ReadOtaUpgrade(Body(json));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(
            new OtaUpgradePayload("a1Bc", "dev01", "Zq7x...", "SUCCEEDED", "default", "1.0.0", "1.1.0", "ok", "job-7", "task-1", 1709258405120),
            result.Value);
        Assert.True(result.Value.Succeeded);
    }

    [Fact]
    public void Upgrade_with_unknown_status_is_kept_as_text()
    {
        const string json = """{"productKey":"a1Bc","deviceName":"dev01","status":"CANCELED","messageCreateTime":1}""";

        var value = PayloadReader.ReadOtaUpgrade(Body(json)).Value;

        Assert.Equal("CANCELED", value?.Status);
        Assert.False(value?.Succeeded);
    }

    [Theory]
    [InlineData("95", 95, false)]
    [InlineData("-3", -3, true)]
    [InlineData("100", 100, false)]
    public void Progress_step_is_read_from_a_number_or_a_string(string step, int expected, bool failure)
    {
        var numeric = $$"""{"productKey":"a1Bc","deviceName":"dev01","moduleName":"mcu","step":{{step}},"desc":"","messageCreateTime":1}""";
        var quoted = $$"""{"productKey":"a1Bc","deviceName":"dev01","moduleName":"mcu","step":"{{step}}","messageCreateTime":1}""";

        foreach (var json in new[] { numeric, quoted })
        {
            var value = PayloadReader.ReadOtaProgress(Body(json)).Value;
            Assert.NotNull(value);
            Assert.Equal(expected, value.Step);
            Assert.Equal(failure, value.IsFailure);
            Assert.Equal("mcu", value.ModuleName);
            Assert.Null(value.Description);
        }
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""", PayloadError.MissingField, "'status'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","status":"FAILED"}""", PayloadError.MissingField, "'messageCreateTime'")]
    public void Bad_upgrade_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadOtaUpgrade(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","messageCreateTime":1}""", PayloadError.MissingField, "'step'")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","step":"half","messageCreateTime":1}""", PayloadError.WrongType, "'step'")]
    public void Bad_progress_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadOtaProgress(Body(json));

        Assert.Equal(error, result.Error);
        Assert.Contains(field, result.Reason);
    }

    [Fact]
    public void Module_version_reads_module_and_version()
    {
        const string json = """{"iotId":"Zq7x...","productKey":"a1Bc","deviceName":"dev01","moduleName":"mcu","moduleVersion":"2.0.1","messageCreateTime":1709258405120}""";

        var result = PayloadReader.ReadOtaVersion(Body(json));

        Assert.Equal(new OtaVersionPayload("a1Bc", "dev01", "Zq7x...", "mcu", "2.0.1", 1709258405120), result.Value);
    }

    [Fact]
    public void Job_status_reads_product_package_and_job_without_a_device()
    {
        const string json = """{"productKey":"a1Bc","moduleName":"default","packageId":12345,"jobId":"job-7","status":"IN_PROGRESS","messageCreateTime":1709258405120}""";

        var result = PayloadReader.ReadOtaJobStatus(Body(json));

        Assert.Equal(new OtaJobStatusPayload("a1Bc", "default", "12345", "job-7", "IN_PROGRESS", 1709258405120), result.Value);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","jobId":"j","status":"PLANNED","messageCreateTime":1}""", "'packageId'")]
    [InlineData("""{"productKey":"a1Bc","packageId":"p","status":"PLANNED","messageCreateTime":1}""", "'jobId'")]
    [InlineData("""{"productKey":"a1Bc","packageId":"p","jobId":"j","messageCreateTime":1}""", "'status'")]
    public void Job_status_without_ids_or_status_is_missing_a_field(string json, string field)
    {
        var result = PayloadReader.ReadOtaJobStatus(Body(json));

        Assert.Equal(PayloadError.MissingField, result.Error);
        Assert.Contains(field, result.Reason);
    }
}
