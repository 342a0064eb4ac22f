using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Amqp;
using IotActors.Bench.Measurement;
using IotActors.Platform.Options;

namespace IotActors.Bench.Scenarios;

/// <summary>
/// Bare AMQPNetLite (<see cref="BareLinks"/>) whose callback accepts the message. With <c>decodeBody</c> it is the
/// vendor .NET sample's callback: read topic and messageId, decode the body as UTF-8 and parse it as JSON, then
/// accept. Latency is the callback's own duration, from its entry to the return of <c>Accept</c>.
/// </summary>
public sealed class RawReceiver(PlatformOptions platform, System.Security.Cryptography.X509Certificates.X509Certificate2Collection roots,
    bool decodeBody, LatencyRecorder latency) : IConsumerUnderTest
{
    private readonly BareLinks _links = new(platform, roots);
    private long _decoded, _failures;

    public Task StartAsync(CancellationToken cancellationToken) => _links.OpenAsync(decodeBody ? OnMessageDecoding : OnMessage, cancellationToken);

    private void OnMessage(IReceiverLink link, Message message)
    {
        var started = Stopwatch.GetTimestamp();
        link.Accept(message);
        latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void OnMessageDecoding(IReceiverLink link, Message message)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // The vendor sample: properties, then the body as text; we also parse the JSON it would hand on.
            var messageId = message.ApplicationProperties["messageId"]?.ToString();
            var topic = message.ApplicationProperties["topic"]?.ToString();
            var text = Encoding.UTF8.GetString((byte[])message.Body);
            using var json = JsonDocument.Parse(text);
            if (messageId is not null && topic is not null && json.RootElement.TryGetProperty("items", out _)) Interlocked.Increment(ref _decoded);
        }
        catch (Exception e) when (e is JsonException or InvalidCastException)
        {
            Interlocked.Increment(ref _failures);
        }
        link.Accept(message);
        latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public IReadOnlyDictionary<string, long> Counters() => decodeBody
        ? new Dictionary<string, long> { ["decoded"] = Interlocked.Read(ref _decoded), ["decode_failures"] = Interlocked.Read(ref _failures) }
        : new Dictionary<string, long>();

    public ValueTask DisposeAsync() => _links.DisposeAsync();
}
