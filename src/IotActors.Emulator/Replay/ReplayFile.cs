using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IotActors.Emulator.Replay;

/// <summary>
/// Reads and writes recorded platform traffic as JSON Lines, one message per line:
/// <code>
/// {"topic":"/a1Bc/dev01/thing/event/property/post","messageId":"1763012345678901234","generateTime":1709258405120,"body":{"items":{}}}
/// {"topic":"/a1Bc/dev01/user/raw","messageId":"1763012345678901235","bodyBase64":"AAEC/w=="}
/// </code>
/// <list type="bullet">
/// <item><c>topic</c> (non-empty string) and <c>messageId</c> (non-empty string, or an integer
/// number whose digits are taken as written) are required.</item>
/// <item><c>generateTime</c> is epoch ms, an integer number or a string of digits. Absent, null or
/// <c>0</c> means "when the file was read": the reader's clock at the start of the read.</item>
/// <item>The body is exactly one of <c>body</c> or <c>bodyBase64</c>. <c>body</c> may be any JSON
/// value and the body bytes are that value's JSON text exactly as written in the line (UTF-8):
/// an object gives its JSON text, <c>"on"</c> gives the four bytes <c>"on"</c> including the
/// quotes, <c>42</c> gives <c>42</c>. Use <c>bodyBase64</c> for binary or non-JSON text.</item>
/// <item>Other members are ignored. Blank lines and lines starting with <c>#</c> or <c>//</c>
/// (after leading spaces) are skipped.</item>
/// <item>A repeated <c>messageId</c> is kept in file order: it stands for a duplicate delivery.</item>
/// </list>
/// Line numbers in errors count from 1 and include skipped lines.
/// </summary>
public static class ReplayFile
{
    /// <summary>Reads every line it can and collects an error for each line it cannot.</summary>
    public static ReplayReadResult Read(string path, TimeProvider? clock = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, clock);
    }

    /// <inheritdoc cref="Read(string, TimeProvider?)"/>
    public static ReplayReadResult Read(TextReader reader, string source, TimeProvider? clock = null) =>
        Parse(reader, source, clock, strict: false);

    /// <summary>Reads the whole file or throws <see cref="ReplayFormatException"/> at the first bad line.</summary>
    public static IReadOnlyList<EmulatedMessage> ReadStrict(string path, TimeProvider? clock = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadStrict(reader, path, clock);
    }

    /// <inheritdoc cref="ReadStrict(string, TimeProvider?)"/>
    public static IReadOnlyList<EmulatedMessage> ReadStrict(TextReader reader, string source, TimeProvider? clock = null) =>
        Parse(reader, source, clock, strict: true).Messages;

    /// <summary>
    /// Writes messages so that <see cref="Read(string, TimeProvider?)"/> gives them back byte for byte:
    /// a body that is single-line UTF-8 JSON goes out as <c>body</c>, anything else as <c>bodyBase64</c>.
    /// </summary>
    public static void Write(string path, IEnumerable<EmulatedMessage> messages)
    {
        using var stream = File.Create(path);
        Write(stream, messages);
    }

    /// <inheritdoc cref="Write(string, IEnumerable{EmulatedMessage})"/>
    public static void Write(Stream stream, IEnumerable<EmulatedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var newline = "\n"u8.ToArray();
        foreach (var message in messages)
        {
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("topic", message.Topic);
                json.WriteString("messageId", message.MessageId);
                json.WriteNumber("generateTime", message.GenerateTime);
                if (IsSingleLineJson(message.Body.Span))
                {
                    json.WritePropertyName("body");
                    json.WriteRawValue(message.Body.Span, skipInputValidation: true);
                }
                else
                {
                    json.WriteBase64String("bodyBase64", message.Body.Span);
                }
                json.WriteEndObject();
            }
            stream.Write(newline);
        }
        stream.Flush();
    }

    private static bool IsSingleLineJson(ReadOnlySpan<byte> body)
    {
        // "body" is read back as the value's raw text, so surrounding whitespace or line breaks would not survive.
        if (body.IsEmpty || body.IndexOfAny((byte)'\n', (byte)'\r') >= 0
            || IsJsonWhitespace(body[0]) || IsJsonWhitespace(body[^1]))
        {
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }
            // Reading bytes back through a string must not change them (e.g. invalid UTF-8 in a string).
            return body.SequenceEqual(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body)));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJsonWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static ReplayReadResult Parse(TextReader reader, string source, TimeProvider? clock, bool strict)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var readTime = (clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        var messages = new List<EmulatedMessage>();
        var errors = new List<ReplayLineError>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var trimmed = line.AsSpan().Trim();
            if (trimmed.IsEmpty || trimmed.StartsWith("#") || trimmed.StartsWith("//"))
            {
                continue;
            }
            if (TryParseLine(line, readTime, out var message, out var problem))
            {
                messages.Add(message);
                continue;
            }
            var error = new ReplayLineError(source, lineNumber, problem);
            if (strict)
            {
                throw new ReplayFormatException(error);
            }
            errors.Add(error);
        }
        return new ReplayReadResult(messages, errors);
    }

    private static bool TryParseLine(string line, long readTime, out EmulatedMessage message, out string problem)
    {
        message = null!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            problem = "not valid JSON: " + e.Message;
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = $"expected a JSON object, found {root.ValueKind}";
                return false;
            }
            if (!root.TryGetProperty("topic", out var topicElement) || topicElement.ValueKind != JsonValueKind.String
                || topicElement.GetString() is not { Length: > 0 } topic)
            {
                problem = "\"topic\" is required and must be a non-empty string";
                return false;
            }
            if (!TryMessageId(root, out var messageId))
            {
                problem = "\"messageId\" is required and must be a non-empty string or an integer";
                return false;
            }
            if (!TryGenerateTime(root, readTime, out var generateTime))
            {
                problem = "\"generateTime\" must be epoch ms: a non-negative integer or a string of digits";
                return false;
            }
            var hasBody = root.TryGetProperty("body", out var body);
            var hasBase64 = root.TryGetProperty("bodyBase64", out var base64);
            byte[] bytes;
            if (hasBody == hasBase64)
            {
                problem = hasBody ? "give either \"body\" or \"bodyBase64\", not both" : "\"body\" or \"bodyBase64\" is required";
                return false;
            }
            if (hasBody)
            {
                bytes = Encoding.UTF8.GetBytes(body.GetRawText());
            }
            else if (base64.ValueKind != JsonValueKind.String || !base64.TryGetBytesFromBase64(out bytes!))
            {
                problem = "\"bodyBase64\" must be a string of standard Base64";
                return false;
            }
            message = new EmulatedMessage(topic, messageId, generateTime, bytes);
            problem = "";
            return true;
        }
    }

    private static bool TryMessageId(JsonElement root, out string messageId)
    {
        messageId = "";
        if (!root.TryGetProperty("messageId", out var element))
        {
            return false;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.String when element.GetString() is { Length: > 0 } text:
                messageId = text;
                return true;
            case JsonValueKind.Number when element.GetRawText() is var raw && raw.All(char.IsAsciiDigit):
                messageId = raw;
                return true;
            default:
                return false;
        }
    }

    private static bool TryGenerateTime(JsonElement root, long readTime, out long generateTime)
    {
        generateTime = readTime;
        if (!root.TryGetProperty("generateTime", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        long value;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value))
        {
        }
        else if (element.ValueKind == JsonValueKind.String
            && long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
        }
        else
        {
            return false;
        }
        if (value < 0)
        {
            return false;
        }
        generateTime = value == 0 ? readTime : value;
        return true;
    }
}
