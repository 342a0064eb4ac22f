using Akka.Actor;
using Akka.Hosting;
using IotActors.Actors.Connections;
using IotActors.Actors.Devices;
using IotActors.Actors.Hosting;
using IotActors.Host.Running;
using IotActors.Platform.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IotActors.Host.Http;

/// <summary>
/// The node's HTTP endpoints: health, readiness, Prometheus metrics, device twins and connection status.
/// Answers are JSON; a bad request gets 400 with a reason, never a stack trace; no secret is ever part of an answer.
/// </summary>
internal static class HttpApi
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private const int MaxNameLength = 128;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(StatusPage.Value, "text/html; charset=utf-8"));
        app.MapGet("/healthz", () => Results.Json(new { status = "alive" }));
        app.MapGet("/api/throughput", (ThroughputHistory history, PipelineCounters counters) => Results.Json(new
        {
            accepted = counters.Accepted,
            inFlight = counters.InFlight,
            samples = history.Samples,
        }));
        app.MapGet("/readyz", ReadyAsync);
        app.MapGet("/api/connections", ConnectionsAsync);
        app.MapGet("/api/devices/{productKey}/{deviceName}", DeviceAsync);
        app.MapPrometheusScrapingEndpoint("/metrics");
    }

    private static async Task<IResult> ReadyAsync(IRequiredActor<IotConsumer> consumer, CancellationToken token)
    {
        var statuses = await StatusesAsync(consumer, token);
        if (statuses is null) return Results.Json(new { ready = false, reasons = new[] { "the consumer is not running yet" } }, statusCode: 503);
        var reasons = statuses.Connections
            .Where(c => c.State != ConnectionState.Attached)
            .Select(c => $"connection {c.ClientId} is {c.State.ToString().ToLowerInvariant()}" + (c.LastError is null ? "" : $": {c.LastError}"))
            .ToList();
        return reasons.Count == 0
            ? Results.Json(new { ready = true, connections = statuses.Connections.Count })
            : Results.Json(new { ready = false, reasons }, statusCode: 503);
    }

    private static async Task<IResult> ConnectionsAsync(IRequiredActor<IotConsumer> consumer, CancellationToken token)
    {
        var statuses = await StatusesAsync(consumer, token);
        if (statuses is null) return Results.Json(new { error = "the consumer is not running yet" }, statusCode: 503);
        return Results.Json(statuses.Connections.Select(c => new
        {
            consumerGroupId = c.ConsumerGroupId,
            clientId = c.ClientId,
            node = "local",
            state = c.State.ToString().ToLowerInvariant(),
            lastError = c.LastError,
            lastErrorClass = c.LastErrorClass?.ToString(),
            delivered = c.Delivered,
            accepted = c.Accepted,
            released = c.Released,
            inFlight = c.InFlight,
            reconnects = c.Reconnects,
            since = c.Since,
        }));
    }

    private static async Task<IResult> DeviceAsync(string productKey, string deviceName, IRequiredActor<DeviceRegion> devices, CancellationToken token)
    {
        if (!ValidName(productKey) || !ValidName(deviceName))
            return Results.Json(new { error = $"productKey and deviceName must be 1–{MaxNameLength} characters without '/' or control characters" }, statusCode: 400);

        var region = await devices.GetAsync(token);
        var reply = await region.Ask<DeviceStateReply>(new GetDeviceState(new DeviceId(productKey, deviceName)), AskTimeout, token);
        // Asking starts the entity; one that never received a message is unknown to this system.
        if (reply.LastSeen == 0 && reply.MessagesApplied == 0 && reply.Parked == 0)
            return Results.Json(new { error = $"device {productKey}/{deviceName} has sent nothing here" }, statusCode: 404);
        return Results.Json(TwinJson.From(reply));
    }

    private static readonly Lazy<string> StatusPage = new(() =>
    {
        using var stream = typeof(HttpApi).Assembly.GetManifestResourceStream("IotActors.Host.StatusPage.html")
            ?? throw new InvalidOperationException("the status page resource is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static bool ValidName(string s) =>
        s.Length is > 0 and <= MaxNameLength && !s.Contains('/') && !s.Any(char.IsControl);

    private static async Task<ConnectionStatuses?> StatusesAsync(IRequiredActor<IotConsumer> consumer, CancellationToken token)
    {
        try
        {
            var actor = await consumer.GetAsync(token);
            return await actor.Ask<ConnectionStatuses>(GetConnectionStatuses.Instance, AskTimeout, token);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
