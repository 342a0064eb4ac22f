using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IotActors.Emulator.Simulation;
using IotActors.Platform.Messages;

namespace IotActors.Host.Tests.Http;

/// <summary><c>GET /api/devices</c> against a real <c>iot-actors run</c>: the list is the journal's devices, sorted, filtered and paged.</summary>
public partial class DeviceListTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);
    private const int Devices = 30;
    private const int Count = 120;

    [GeneratedRegex(@"accepted (\d+) \| in flight (\d+)")]
    private static partial Regex LiveLine();

    [Fact]
    public async Task Lists_the_journaled_devices_sorted_by_product_and_name_with_product_filter_and_paging()
    {
        // A small snapshot interval, so devices whose newest event was snapshotted are in the list too.
        using var run = HostProcess.Start(new Dictionary<string, string?>(),
            "run", "--devices", Text(Devices), "--rate", "400", "--count", Text(Count), "--view-interval", "500ms", "--http-port", "0",
            "--Devices:SnapshotEvery=2");
        await WaitUntilEverythingIsAcceptedAsync(run);
        using var http = new HttpClient { BaseAddress = await run.HttpApiAsync(TimeSpan.FromSeconds(90)) };

        var expected = SentDevices();
        var all = await ListAsync(http, "/api/devices");
        Assert.Null(all.Product);
        Assert.Equal((1, 100, expected.Count), (all.Page, all.PageSize, all.Total));
        Assert.Equal(expected, all.Devices);

        var product = expected[^1].ProductKey;
        var ofProduct = await ListAsync(http, $"/api/devices?product={product}");
        Assert.Equal(product, ofProduct.Product);
        Assert.Equal(expected.Where(d => d.ProductKey == product), ofProduct.Devices);
        Assert.Equal(ofProduct.Devices.Count, ofProduct.Total);

        var second = await ListAsync(http, "/api/devices?page=2&pageSize=7");
        Assert.Equal((2, 7, expected.Count), (second.Page, second.PageSize, second.Total));
        Assert.Equal(expected.Skip(7).Take(7), second.Devices);

        var last = (expected.Count + 6) / 7;
        var beyond = await ListAsync(http, $"/api/devices?page={last + 1}&pageSize=7");
        Assert.Empty(beyond.Devices);
        Assert.Equal(expected.Count, beyond.Total);

        var none = await ListAsync(http, "/api/devices?product=a1Nobody");
        Assert.Equal(0, none.Total);

        foreach (var query in new[] { "page=0", "page=-1", "page=two", "pageSize=1001", "pageSize=0", "product=a1%2Fb", "product=a1%01", "prodcut=a1Sim000", "page=1&page=2" })
        {
            var response = await http.GetAsync("/api/devices?" + query);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var error = JsonDocument.Parse(body);
            Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("error").GetString()), query);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }

        Assert.Equal(0, await run.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Lists_devices_from_the_in_memory_journal_too()
    {
        using var run = HostProcess.Start(new Dictionary<string, string?> { ["IOTACTORS__PERSISTENCE__PROVIDER"] = "inmemory" },
            "run", "--devices", Text(Devices), "--rate", "400", "--count", Text(Count), "--view-interval", "500ms", "--http-port", "0");
        await WaitUntilEverythingIsAcceptedAsync(run);
        using var http = new HttpClient { BaseAddress = await run.HttpApiAsync(TimeSpan.FromSeconds(90)) };

        var expected = SentDevices();
        var page = await ListAsync(http, "/api/devices?page=1&pageSize=1000");
        Assert.Equal(expected, page.Devices);
        Assert.Equal(expected.Count, page.Total);

        Assert.Equal(0, await run.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Every message is settled (and so journaled) once the live line shows all accepted and none in flight.</summary>
    private static Task WaitUntilEverythingIsAcceptedAsync(HostProcess run) =>
        run.WaitForLineAsync(l => LiveLine().Match(l) is { Success: true } m && m.Groups[1].Value == Text(Count) && m.Groups[2].Value == "0", Long);

    /// <summary>The devices the embedded default's seeded simulator sends from in its first <see cref="Count"/> messages, in the list's order.</summary>
    private static List<DeviceId> SentDevices()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = Devices, Products = 3, Seed = 42 });
        foreach (var _ in simulator.Generate(Count)) { }
        return [.. simulator.Truth.Devices.Keys
            .OrderBy(d => d.ProductKey, StringComparer.Ordinal)
            .ThenBy(d => d.DeviceName, StringComparer.Ordinal)];
    }

    private static async Task<Listing> ListAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new Listing(
            root.GetProperty("product").GetString(),
            root.GetProperty("page").GetInt32(),
            root.GetProperty("pageSize").GetInt32(),
            root.GetProperty("total").GetInt32(),
            [.. root.GetProperty("devices").EnumerateArray().Select(d => new DeviceId(d.GetProperty("productKey").GetString()!, d.GetProperty("deviceName").GetString()!))]);
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    private sealed record Listing(string? Product, int Page, int PageSize, int Total, List<DeviceId> Devices);
}
