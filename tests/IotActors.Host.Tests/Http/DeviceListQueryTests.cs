using IotActors.Actors.Devices;
using IotActors.Actors.Twin;
using IotActors.Host.Http;
using IotActors.Platform.Messages;
using Microsoft.Extensions.Primitives;

namespace IotActors.Host.Tests.Http;

public class DeviceListQueryTests
{
    private static DeviceListQuery? Parse(out string? error, params (string Key, string Value)[] query) =>
        DeviceListQuery.Parse(query.Select(q => new KeyValuePair<string, StringValues>(q.Key, q.Value)), out error);

    [Fact]
    public void Defaults_are_all_products_page_1_of_100()
    {
        Assert.Equal(new DeviceListQuery(null, 1, 100), Parse(out var error));
        Assert.Null(error);
        Assert.Equal(new DeviceListQuery(null, 1, 100), Parse(out _, ("product", ""), ("page", ""), ("pageSize", "")));
    }

    [Fact]
    public void Reads_product_page_and_page_size_with_keys_in_any_case()
    {
        Assert.Equal(new DeviceListQuery("a1Sim001", 3, 1000), Parse(out _, ("product", "a1Sim001"), ("PAGE", "3"), ("pagesize", "1000")));
    }

    [Theory]
    [InlineData("page", "0")]
    [InlineData("page", "-1")]
    [InlineData("page", "+1")]
    [InlineData("page", " 1")]
    [InlineData("page", "1.5")]
    [InlineData("page", "two")]
    [InlineData("page", "99999999999")]
    [InlineData("pageSize", "0")]
    [InlineData("pageSize", "1001")]
    [InlineData("pageSize", "ten")]
    [InlineData("product", "a1/b")]
    [InlineData("product", "a1\u0001")]
    [InlineData("prodcut", "a1Sim000")]
    public void A_bad_value_is_refused_with_a_reason_naming_it(string key, string value)
    {
        Assert.Null(Parse(out var error, (key, value)));
        Assert.Contains(key == "prodcut" ? "unknown query parameter 'prodcut'" : key, error);
    }

    [Fact]
    public void A_repeated_parameter_is_refused()
    {
        Assert.Null(DeviceListQuery.Parse([new("page", new StringValues(["1", "2"]))], out var error));
        Assert.Contains("page", error);
    }

    [Fact]
    public void A_device_persistence_id_reads_back_as_the_device_and_other_ids_as_none()
    {
        var device = new DeviceId("a1Sim000", "dev-00001");
        Assert.Equal(device, DeviceDirectory.DeviceOf(DeviceActor<DeviceTwin>.PersistenceIdOf(device)));
        Assert.Null(DeviceDirectory.DeviceOf("/system/sharding/deviceCoordinator"));
        Assert.Null(DeviceDirectory.DeviceOf("device-nodevice"));
        Assert.Null(DeviceDirectory.DeviceOf("device-a/b/c"));
    }
}
