using System.Globalization;
using System.Text;
using IotActors.Platform.Messages;

namespace IotActors.Platform.Tests.Messages;

/// <summary>
/// The scanner gives exactly what <see cref="PayloadReader.ReadPropertyPost"/> gives, or nothing: same items, order, raw
/// values and times when it vouches for a body; false, with no item seen, for every body the reader rejects.
/// </summary>
public class PropertyPostScannerTests
{
    public static TheoryData<string> Accepted() =>
    [
        """{"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120,"items":{"Temperature":{"value":21.5,"time":1709258405100}}}""",
        // The spec's example: nested value, unknown fields, header after nothing in particular.
        """
        {"iotId":"Zq7x...","requestId":"42","productKey":"a1Bc","deviceName":"dev01",
         "deviceType":"CustomCategory","gmtCreate":1709258405120,"checkFailedData":{},
         "items":{"Temperature":{"value":21.5,"time":1709258405100},
                  "Position":{"value":{"latitude":31.2,"longitude":121.4},"time":1709258405100}}}
        """,
        // gmtCreate after the items still gives the items without a time theirs.
        """{"items":{"Switch":{"value":1},"Mode":{"value":"eco","time":1709258400000}},"productKey":"a1Bc","deviceName":"dev01","gmtCreate":1709258405120}""",
        // Times as strings, null time falls back, null value is a value, numeric requestId, null iotId.
        """{"productKey":"a1Bc","deviceName":"dev01","iotId":null,"requestId":7,"gmtCreate":"1709258405120","items":{"A":{"value":null,"time":null},"B":{"value":true,"time":"-5"}}}""",
        // Values of every shape, with escapes and whitespace inside kept as written.
        "{ \"productKey\" : \"a1Bc\" , \"deviceName\" : \"dev01\" , \"items\" : { \"S\" : { \"time\" : 1 , \"value\" : \"a\\\"b\\u00e9\\n\" } , \"Arr\" : { \"value\" : [ 1 , { \"x\" : [ ] } , \"y\" ] , \"time\" : 2 } , \"Neg\" : { \"value\" : -1.5e-3 , \"time\" : 3 } , \"Empty\" : { \"value\" : { } , \"time\" : 4 } } }",
        // Escaped header names, non-ASCII identifiers.
        """{"product\u004Bey":"a1Bc","deviceName":"d\u00e9v","items":{"Température":{"value":"温度","time":5},"温":{"value":0,"time":6}}}""",
        // Repeated fields inside an item and in the header: the last one counts.
        """{"productKey":"","productKey":"a1Bc","deviceName":"dev01","gmtCreate":1,"gmtCreate":9,"items":{"A":{"value":1,"value":2,"time":3,"time":4},"B":{"value":5}}}""",
        // No items at all, byte-order mark, extra fields inside items.
        "\uFEFF{\"productKey\":\"a1Bc\",\"deviceName\":\"dev01\",\"items\":{}}",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2,"unit":"°C","extra":{"deep":[1,2]}}}}""",
    ];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_valid_post_gives_the_readers_items_in_order(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        var scanned = Scan(body);

        Assert.NotNull(scanned);
        Assert.Equal(Read(body), scanned);
    }

    public static TheoryData<string> Rejected() =>
    [
        "",
        "not json",
        "[]",
        "{}",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2}}} x""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2}},}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2}}""",
        """{"deviceName":"dev01","items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":"","deviceName":"dev01","items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":null,"deviceName":"dev01","items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":5,"deviceName":"dev01","items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":{"x":"y"},"deviceName":"dev01","items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01"}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":null}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":[]}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":5}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"time":2}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","gmtCreate":null,"items":{"A":{"value":1}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":1.5}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":"soon"}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":99999999999999999999}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","gmtCreate":true,"items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","iotId":5,"items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","requestId":{},"items":{"A":{"value":1,"time":2}}}""",
        """{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2}},"x":""" + new string('[', 100) + new string(']', 100) + "}",
    ];

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_body_the_reader_rejects_is_not_scanned(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.False(PayloadReader.ReadPropertyPost(body).IsSuccess);
        Assert.Null(Scan(body));
    }

    [Theory]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2},"A":{"value":3,"time":1}}}""")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2}},"items":{"B":{"value":3,"time":1}}}""")]
    [InlineData("""{"productKey":5,"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":2}}}""")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1,"time":"\u0031"}}}""")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"Temp\u00e9rature":{"value":"温度","time":5}}}""")]
    [InlineData("""{"productKey":"a1Bc","deviceName":"dev01","items":{"A":{"value":1},"\u0041":{"value":2}},"gmtCreate":1}""")]
    public void Rare_forms_are_left_to_the_reader(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.True(PayloadReader.ReadPropertyPost(body).IsSuccess);
        Assert.Null(Scan(body));
    }

    [Fact]
    public void Mutated_posts_are_scanned_as_the_reader_reads_them_or_not_at_all()
    {
        var random = new Random(20261127);
        int agreed = 0, leftToReader = 0, rejected = 0;
        for (var n = 0; n < 3000; n++)
        {
            var body = Mutate(random, RandomPost(random));
            var read = PayloadReader.ReadPropertyPost(body);
            var scanned = Scan(body);
            if (scanned is not null)
            {
                Assert.True(read.IsSuccess, Encoding.UTF8.GetString(body));
                Assert.Equal(Read(body), scanned);
                agreed++;
            }
            else if (read.IsSuccess) leftToReader++;
            else rejected++;
        }
        // Not vacuous: a good share of the posts survive their mutation and are scanned; others break.
        Assert.True(agreed > 1000, $"{agreed} scanned, {leftToReader} left to the reader, {rejected} rejected");
        Assert.True(rejected > 300, $"{agreed} scanned, {leftToReader} left to the reader, {rejected} rejected");
    }

    private static byte[] RandomPost(Random random)
    {
        var t = new StringBuilder("{");
        var header = new List<string> { "\"productKey\":\"a1Bc\"", "\"deviceName\":\"dev01\"" };
        if (random.Next(2) == 0) header.Add($"\"gmtCreate\":{random.Next(1, 1000)}");
        if (random.Next(3) == 0) header.Add("\"iotId\":\"x\"");
        if (random.Next(3) == 0) header.Add($"\"requestId\":{random.Next(100)}");
        var items = new StringBuilder("\"items\":{");
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            if (i > 0) items.Append(',');
            var value = random.Next(6) switch
            {
                0 => random.Next(-50, 50).ToString(CultureInfo.InvariantCulture),
                1 => "\"s" + random.Next(10) + "\\n\"",
                2 => "{\"a\":[1,2,{\"b\":null}]}",
                3 => "null",
                4 => "[true,false]",
                _ => "1.25e2",
            };
            var time = random.Next(4) switch { 0 => "", 1 => ",\"time\":\"" + random.Next(100) + "\"", _ => ",\"time\":" + random.Next(100) };
            items.Append($"\"P{random.Next(8)}\":{{\"value\":{value}{time}}}");
        }
        items.Append('}');
        header.Insert(random.Next(header.Count + 1), items.ToString());
        t.Append(string.Join(',', header)).Append('}');
        return Encoding.UTF8.GetBytes(t.ToString());
    }

    // One small change in half of the posts: drop, duplicate or replace a byte with a JSON-significant one.
    private static byte[] Mutate(Random random, byte[] body)
    {
        if (random.Next(2) == 0 || body.Length == 0) return body;
        var bytes = body.ToList();
        var at = random.Next(bytes.Count);
        var significant = "{}[]:,\"0 n\\"u8.ToArray();
        switch (random.Next(3))
        {
            case 0: bytes.RemoveAt(at); break;
            case 1: bytes.Insert(at, bytes[at]); break;
            default: bytes[at] = significant[random.Next(significant.Length)]; break;
        }
        return [.. bytes];
    }

    private static List<(string, string, long)>? Scan(byte[] body)
    {
        var visitor = new Collector([]);
        return PropertyPostScanner.TryScan(body, ref visitor) ? visitor.Items : null;
    }

    private static List<(string, string, long)> Read(byte[] body)
    {
        var result = PayloadReader.ReadPropertyPost(body);
        Assert.True(result.IsSuccess, result.ToString());
        return result.Value.Items.Select(i => (i.Key, i.Value.Value.GetRawText(), i.Value.Time)).ToList();
    }

    private readonly struct Collector(List<(string, string, long)> items) : IPropertyItemVisitor
    {
        public List<(string, string, long)> Items => items;

        public void Item(ReadOnlySpan<byte> identifier, ReadOnlySpan<byte> rawValue, long time) =>
            items.Add((Encoding.UTF8.GetString(identifier), Encoding.UTF8.GetString(rawValue), time));
    }
}
