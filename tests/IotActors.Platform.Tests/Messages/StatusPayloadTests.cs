using IotActors.Platform.Messages;
using static IotActors.Platform.Tests.Messages.Json;

namespace IotActors.Platform.Tests.Messages;

public class StatusPayloadTests
{
    // Spec §5.1, verbatim.
    private const string SpecExample =
        """
        {"status":"offline","iotId":"Zq7xEXAMPLEiotId000000","productKey":"a1Bc","deviceName":"dev01",
         "time":"2024-03-01 10:00:05.120","utcTime":"2024-03-01T02:00:05.120Z",
         "lastTime":"2024-03-01 09:59:50.001","utcLastTime":"2024-03-01T01:59:50.001Z",
         "clientIp":"198.51.100.7"}
        """;

    private static readonly DateTimeOffset NoticeTime = new(2024, 3, 1, 2, 0, 5, 120, TimeSpan.Zero);
    private static readonly DateTimeOffset LastTime = new(2024, 3, 1, 1, 59, 50, 1, TimeSpan.Zero);

    [Fact]
    public void Spec_example_reads_every_field()
    {
        var result = PayloadReader.ReadStatus(Body(SpecExample));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(
            new StatusPayload(DeviceStatus.Offline, "a1Bc", "dev01", "Zq7xEXAMPLEiotId000000", NoticeTime, LastTime, "198.51.100.7"),
            result.Value);
        Assert.Equal(new DeviceId("a1Bc", "dev01"), result.Value.Device);
        Assert.Equal(TimeSpan.Zero, result.Value.UtcTime.Offset);
    }

    [Fact]
    public void Without_utc_fields_china_local_times_are_read_as_utc_plus_8()
    {
        const string json = """
            {"status":"online","productKey":"a1Bc","deviceName":"dev01",
             "time":"2024-03-01 10:00:05.120","lastTime":"2024-03-01 09:59:50.001"}
            """;

        var value = PayloadReader.ReadStatus(Body(json)).Value;

        Assert.NotNull(value);
        Assert.Equal(DeviceStatus.Online, value.Status);
        Assert.Equal(NoticeTime, value.UtcTime);
        Assert.Equal(LastTime, value.UtcLastTime);
        Assert.Equal(TimeSpan.Zero, value.UtcTime.Offset);
    }

    [Fact]
    public void Utc_fields_win_over_local_ones_that_disagree()
    {
        const string json = """
            {"status":"online","productKey":"a1Bc","deviceName":"dev01",
             "time":"1999-01-01 00:00:00.000","utcTime":"2024-03-01T02:00:05.120Z"}
            """;

        Assert.Equal(NoticeTime, PayloadReader.ReadStatus(Body(json)).Value?.UtcTime);
    }

    [Fact]
    public void Old_payload_without_iot_id_client_ip_or_last_time_still_reads()
    {
        const string json = """{"status":"offline","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05.120Z"}""";

        var value = PayloadReader.ReadStatus(Body(json)).Value;

        Assert.NotNull(value);
        Assert.Null(value.IotId);
        Assert.Null(value.ClientIp);
        Assert.Null(value.UtcLastTime);
    }

    [Theory]
    [InlineData("2024-03-01T02:00:05Z")]
    [InlineData("2024-03-01T02:00:05.12Z")]
    [InlineData("2024-03-01T10:00:05.120+08:00")]
    [InlineData("2024-03-01T02:00:05.1200000Z")]
    public void Iso_time_variants_are_accepted(string utcTime)
    {
        var json = $$"""{"status":"online","productKey":"a1Bc","deviceName":"dev01","utcTime":"{{utcTime}}"}""";

        var value = PayloadReader.ReadStatus(Body(json)).Value;

        Assert.NotNull(value);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 2, 0, 5, TimeSpan.Zero), value.UtcTime, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Status_text_is_case_insensitive()
    {
        const string json = """{"status":"ONLINE","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z"}""";

        Assert.Equal(DeviceStatus.Online, PayloadReader.ReadStatus(Body(json)).Value?.Status);
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z"}""", PayloadError.MissingField, "status")]
    [InlineData("""{"status":5,"productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z"}""", PayloadError.WrongType, "status")]
    [InlineData("""{"status":"sleeping","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z"}""", PayloadError.InvalidValue, "status")]
    [InlineData("""{"status":"online","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z"}""", PayloadError.MissingField, "productKey")]
    [InlineData("""{"status":"online","productKey":"","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z"}""", PayloadError.MissingField, "productKey")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":null,"utcTime":"2024-03-01T02:00:05Z"}""", PayloadError.MissingField, "deviceName")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":["dev01"],"utcTime":"2024-03-01T02:00:05Z"}""", PayloadError.WrongType, "deviceName")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":"dev01"}""", PayloadError.MissingField, "utcTime")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":"dev01","utcTime":"yesterday"}""", PayloadError.InvalidValue, "utcTime")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":"dev01","utcTime":1709258405120}""", PayloadError.WrongType, "utcTime")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":"dev01","time":"01/03/2024 10:00"}""", PayloadError.InvalidValue, "time")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":"dev01","time":"0001-01-01 00:00:00.000"}""", PayloadError.InvalidValue, "time")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z","utcLastTime":"soon"}""", PayloadError.InvalidValue, "utcLastTime")]
    [InlineData("""{"status":"online","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z","clientIp":7}""", PayloadError.WrongType, "clientIp")]
    public void Bad_field_gives_typed_failure_naming_it(string json, PayloadError error, string field)
    {
        var result = PayloadReader.ReadStatus(Body(json));

        Assert.False(result.IsSuccess);
        Assert.Equal(error, result.Error);
        Assert.Contains($"'{field}'", result.Reason);
    }

    [Fact]
    public void Reason_does_not_quote_the_bad_value()
    {
        const string json = """{"status":"s3cr3t-ish","productKey":"a1Bc","deviceName":"dev01","utcTime":"2024-03-01T02:00:05Z"}""";

        var result = PayloadReader.ReadStatus(Body(json));

        Assert.DoesNotContain("s3cr3t", result.Reason);
    }
}
