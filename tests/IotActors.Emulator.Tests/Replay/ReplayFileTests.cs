using System.Text;
using IotActors.Emulator.Replay;
using IotActors.Emulator.Simulation;

namespace IotActors.Emulator.Tests.Replay;

public sealed class ReplayFileTests : IDisposable
{
    private static readonly DateTimeOffset ReadTime = new(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("iotactors-replay-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Objects_and_base64_bodies_are_read_and_blank_and_comment_lines_skipped()
    {
        var path = WriteFile(
            "# recorded 2024-03-01",
            "",
            """{"topic":"/a1Bc/dev01/thing/event/property/post","messageId":"1763012345678901234","generateTime":1709258405120,"body":{"items":{"Temperature":{"value":21.5,"time":1709258405100}}}}""",
            "   // a binary custom topic",
            "   ",
            """{"topic":"/a1Bc/dev01/user/raw","messageId":"1763012345678901235","generateTime":1709258405121,"bodyBase64":"AAEC/w=="}""");

        var result = ReplayFile.Read(path);

        Assert.Empty(result.Errors);
        Assert.Collection(
            result.Messages,
            m =>
            {
                Assert.Equal("/a1Bc/dev01/thing/event/property/post", m.Topic);
                Assert.Equal("1763012345678901234", m.MessageId);
                Assert.Equal(1709258405120, m.GenerateTime);
                Assert.Equal("""{"items":{"Temperature":{"value":21.5,"time":1709258405100}}}""", Encoding.UTF8.GetString(m.Body.Span));
            },
            m =>
            {
                Assert.Equal("/a1Bc/dev01/user/raw", m.Topic);
                Assert.Equal(new byte[] { 0, 1, 2, 255 }, m.Body.ToArray());
            });
    }

    [Fact]
    public void Json_body_bytes_are_the_value_text_as_written_including_string_quotes()
    {
        var path = WriteFile(
            """{"topic":"/t/a","messageId":"1","body": { "a" : [1, 2.50] } }""",
            """{"topic":"/t/b","messageId":"2","body":"on"}""",
            """{"topic":"/t/c","messageId":"3","body":42}""",
            """{"topic":"/t/d","messageId":"4","body":"caf\u00e9 ☕"}""");

        var bodies = ReplayFile.ReadStrict(path).Select(m => Encoding.UTF8.GetString(m.Body.Span)).ToList();

        Assert.Equal(["""{ "a" : [1, 2.50] }""", "\"on\"", "42", "\"caf\\u00e9 ☕\""], bodies);
    }

    [Fact]
    public void Each_bad_line_is_reported_with_its_line_number_and_good_lines_are_still_read()
    {
        var path = WriteFile(
            """{"topic":"/t/ok","messageId":"1","body":{}}""",
            """{"topic":"/t/x","messageId":"2","body":{""",
            """{"messageId":"3","body":{}}""",
            """{"topic":"/t/x","body":{}}""",
            "# comment lines count too",
            """{"topic":"/t/x","messageId":"5","body":{},"bodyBase64":"AA=="}""",
            """{"topic":"/t/x","messageId":"6","bodyBase64":"not base64!"}""",
            """{"topic":"/t/x","messageId":"7","generateTime":-5,"body":{}}""",
            """[1,2,3]""",
            """{"topic":"/t/x","messageId":"9"}""",
            """{"topic":"/t/ok","messageId":"10","body":{}}""");

        var result = ReplayFile.Read(path);

        Assert.Equal(["1", "10"], result.Messages.Select(m => m.MessageId));
        Assert.Equal([2, 3, 4, 6, 7, 8, 9, 10], result.Errors.Select(e => e.LineNumber));
        Assert.All(result.Errors, e => Assert.Equal(path, e.Source));
        Assert.Contains("not valid JSON", result.Errors[0].Problem, StringComparison.Ordinal);
        Assert.Contains("\"topic\"", result.Errors[1].Problem, StringComparison.Ordinal);
        Assert.Contains("\"messageId\"", result.Errors[2].Problem, StringComparison.Ordinal);
        Assert.Contains("not both", result.Errors[3].Problem, StringComparison.Ordinal);
        Assert.Contains("Base64", result.Errors[4].Problem, StringComparison.Ordinal);
        Assert.Contains("\"generateTime\"", result.Errors[5].Problem, StringComparison.Ordinal);
        Assert.Contains("JSON object", result.Errors[6].Problem, StringComparison.Ordinal);
        Assert.Contains("is required", result.Errors[7].Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:2: ", result.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_read_fails_at_the_first_bad_line_naming_it()
    {
        var path = WriteFile(
            """{"topic":"/t/ok","messageId":"1","body":{}}""",
            "",
            """{"topic":"/t/x","messageId":"","body":{}}""",
            "garbage");

        var error = Assert.Throws<ReplayFormatException>(() => ReplayFile.ReadStrict(path));

        Assert.Equal(3, error.Error.LineNumber);
        Assert.Contains(":3:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_message_ids_are_kept_in_file_order_as_duplicate_deliveries()
    {
        var path = WriteFile(
            """{"topic":"/t/a","messageId":"100","body":{"n":1}}""",
            """{"topic":"/t/b","messageId":"200","body":{"n":2}}""",
            """{"topic":"/t/a","messageId":"100","body":{"n":1}}""");

        var messages = ReplayFile.ReadStrict(path);

        Assert.Equal(["100", "200", "100"], messages.Select(m => m.MessageId));
    }

    [Fact]
    public void Missing_null_or_zero_generate_time_means_the_time_of_reading()
    {
        var path = WriteFile(
            """{"topic":"/t","messageId":"1","body":{}}""",
            """{"topic":"/t","messageId":"2","generateTime":null,"body":{}}""",
            """{"topic":"/t","messageId":"3","generateTime":0,"body":{}}""",
            """{"topic":"/t","messageId":"4","generateTime":"1709258405120","body":{}}""",
            """{"topic":"/t","messageId":5,"generateTime":1709258405121,"body":{}}""");

        var messages = ReplayFile.ReadStrict(path, new FixedClock(ReadTime));

        var read = ReadTime.ToUnixTimeMilliseconds();
        Assert.Equal([read, read, read, 1709258405120, 1709258405121], messages.Select(m => m.GenerateTime));
        Assert.Equal("5", messages[4].MessageId);
    }

    [Fact]
    public void Written_messages_read_back_byte_for_byte()
    {
        var messages = new DeviceSimulator(new SimulatorOptions { Devices = 5 }).Generate(200).ToList();
        messages.Add(new EmulatedMessage("/a1Bc/dev01/user/raw", "9000000000000000001", 1709258405120, new byte[] { 0, 0xFF, 0x0A, 0x7B }));
        messages.Add(new EmulatedMessage("/a1Bc/dev01/user/pretty", "9000000000000000002", 1709258405121, Encoding.UTF8.GetBytes("{\n  \"a\": 1\n}")));
        messages.Add(new EmulatedMessage("/a1Bc/dev01/user/padded", "9000000000000000003", 1709258405122, Encoding.UTF8.GetBytes(" {} ")));
        messages.Add(new EmulatedMessage("/a1Bc/dev01/user/empty", "9000000000000000004", 1709258405123, Array.Empty<byte>()));
        var path = Path.Combine(_folder.FullName, "recorded.jsonl");

        ReplayFile.Write(path, messages);
        var read = ReplayFile.ReadStrict(path);

        Assert.Equal(messages.Count, File.ReadLines(path).Count());
        Assert.Equal(messages.Count, read.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(messages[i].Topic, read[i].Topic);
            Assert.Equal(messages[i].MessageId, read[i].MessageId);
            Assert.Equal(messages[i].GenerateTime, read[i].GenerateTime);
            Assert.True(messages[i].Body.Span.SequenceEqual(read[i].Body.Span), $"body of message {i} ({messages[i].Topic}) changed");
        }
        Assert.Contains("\"bodyBase64\"", File.ReadLines(path).Last(), StringComparison.Ordinal);
        Assert.Contains("\"body\":{", File.ReadLines(path).First(), StringComparison.Ordinal);
    }

    private string WriteFile(params string[] lines)
    {
        var path = Path.Combine(_folder.FullName, $"replay-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
