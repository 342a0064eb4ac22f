using Akka.Actor;
using Akka.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;
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
        app.MapGet("/api/cluster", Cluster);
        app.MapGet("/api/devices/{productKey}/{deviceName}", DeviceAsync);
        app.MapPrometheusScrapingEndpoint("/metrics");
    }

    private static async Task<IResult> ReadyAsync(IRequiredActor<IotConsumer> consumer, ActorSystem system, CancellationToken token)
    {
        var reasons = new List<string>();
        var self = AkkaCluster.Get(system).SelfMember;
        if (self.Status != MemberStatus.Up) reasons.Add($"this node is {self.Status.ToString().ToLowerInvariant()} in the cluster, not up");

        var statuses = await StatusesAsync(consumer, token);
        if (statuses is null) reasons.Add("the consumer is not running yet");
        else
        {
            reasons.AddRange(statuses.Unassigned.Select(id => $"connection {id} runs on no node yet"));
            reasons.AddRange(statuses.Unreachable.Select(node => $"node {node} did not answer"));
            reasons.AddRange(statuses.Nodes.SelectMany(n => n.Connections)
                .Where(c => c.State != ConnectionState.Attached)
                .Select(c => $"connection {c.ClientId} is {c.State.ToString().ToLowerInvariant()}" + (c.LastError is null ? "" : $": {c.LastError}")));
        }
        return reasons.Count == 0
            ? Results.Json(new { ready = true, connections = statuses!.Nodes.Sum(n => n.Connections.Count) })
            : Results.Json(new { ready = false, reasons }, statusCode: 503);
    }

    private static async Task<IResult> ConnectionsAsync(IRequiredActor<IotConsumer> consumer, CancellationToken token)
    {
        var statuses = await StatusesAsync(consumer, token);
        if (statuses is null) return Results.Json(new { error = "the consumer is not running yet" }, statusCode: 503);
        var running = statuses.Nodes.SelectMany(n => n.Connections.Select(c => new
        {
            consumerGroupId = c.ConsumerGroupId,
            clientId = c.ClientId,
            node = n.Node,
            state = c.State.ToString().ToLowerInvariant(),
            lastError = c.LastError,
            lastErrorClass = c.LastErrorClass?.ToString(),
            delivered = c.Delivered,
            accepted = c.Accepted,
            released = c.Released,
            inFlight = c.InFlight,
            reconnects = c.Reconnects,
            since = (DateTimeOffset?)c.Since,
        }));
        var unassigned = statuses.Unassigned.Select(id => new
        {
            consumerGroupId = "",
            clientId = id,
            node = "",
            state = "unassigned",
            lastError = (string?)null,
            lastErrorClass = (string?)null,
            delivered = 0L,
            accepted = 0L,
            released = 0L,
            inFlight = 0,
            reconnects = 0,
            since = (DateTimeOffset?)null,
        });
        return Results.Json(running.Concat(unassigned).OrderBy(c => c.clientId, StringComparer.Ordinal));
    }

    private static IResult Cluster(ActorSystem system)
    {
        var cluster = AkkaCluster.Get(system);
        var state = cluster.State;
        return Results.Json(new
        {
            self = cluster.SelfAddress.ToString(),
            leader = state.Leader?.ToString(),
            members = state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).Select(m => new
            {
                address = m.Address.ToString(),
                status = m.Status.ToString().ToLowerInvariant(),
                roles = m.Roles.OrderBy(r => r, StringComparer.Ordinal).ToList(),
                reachable = !state.Unreachable.Contains(m),
            }),
        });
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

    private static async Task<ClusterConnectionStatuses?> StatusesAsync(IRequiredActor<IotConsumer> consumer, CancellationToken token)
    {
        try
        {
            var actor = await consumer.GetAsync(token);
            return await actor.Ask<ClusterConnectionStatuses>(GetClusterConnectionStatuses.Instance, AskTimeout, token);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
