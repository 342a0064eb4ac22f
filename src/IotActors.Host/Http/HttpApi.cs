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
/// Answers are JSON; a bad request gets 400 with a reason, an actor that does not answer in time 503 with a reason
/// (see <see cref="HttpAsk"/>), never a stack trace; no secret is ever part of an answer.
/// </summary>
internal static class HttpApi
{
    private static readonly HttpAsk Ask = new(TimeSpan.FromSeconds(5));
    private const string ConsumerName = "the consumer";
    private const string DeviceRegionName = "the device region";
    internal const int MaxNameLength = 128;

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
        app.MapGet("/api/devices", DevicesAsync);
        app.MapGet("/api/devices/{productKey}/{deviceName}", DeviceAsync);
        app.MapPrometheusScrapingEndpoint("/metrics");
    }

    private static async Task<IResult> ReadyAsync(IRequiredActor<IotConsumer> consumer, ActorSystem system, CancellationToken token)
    {
        var reasons = new List<string>();
        var self = AkkaCluster.Get(system).SelfMember;
        if (self.Status != MemberStatus.Up) reasons.Add($"this node is {self.Status.ToString().ToLowerInvariant()} in the cluster, not up");

        var statuses = await StatusesAsync(consumer, token);
        if (statuses is null) reasons.Add(Ask.NoAnswer(ConsumerName));
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

    private static Task<IResult> ConnectionsAsync(IRequiredActor<IotConsumer> consumer, CancellationToken token) =>
        Ask.AskAsync<ClusterConnectionStatuses>(consumer.GetAsync, GetClusterConnectionStatuses.Instance, ConsumerName, Connections, token);

    private static IResult Connections(ClusterConnectionStatuses statuses)
    {
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

    private static async Task<IResult> DevicesAsync(HttpRequest request, DeviceDirectory directory, CancellationToken token)
    {
        var query = DeviceListQuery.Parse(request.Query, out var error);
        if (query is null) return Results.Json(new { error }, statusCode: 400);
        try
        {
            var page = await directory.ListAsync(query, token);
            return Results.Json(new
            {
                product = page.Product,
                page = page.Page,
                pageSize = page.PageSize,
                total = page.Total,
                devices = page.Devices.Select(d => new { productKey = d.ProductKey, deviceName = d.DeviceName }),
            });
        }
        catch (DeviceJournalUnavailableException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: 503);
        }
    }

    private static async Task<IResult> DeviceAsync(string productKey, string deviceName, IRequiredActor<DeviceRegion> devices, CancellationToken token)
    {
        if (!ValidName(productKey) || !ValidName(deviceName))
            return Results.Json(new { error = $"productKey and deviceName must be 1–{MaxNameLength} characters without '/' or control characters" }, statusCode: 400);

        return await Ask.AskAsync<DeviceStateReply>(devices.GetAsync, new GetDeviceState(new DeviceId(productKey, deviceName)), DeviceRegionName, reply =>
            // Asking starts the entity; one that never received a message is unknown to this system.
            reply.LastSeen == 0 && reply.MessagesApplied == 0 && reply.Parked == 0
                ? Results.Json(new { error = $"device {productKey}/{deviceName} has sent nothing here" }, statusCode: 404)
                : Results.Json(TwinJson.From(reply)), token);
    }

    private static readonly Lazy<string> StatusPage = new(() =>
    {
        using var stream = typeof(HttpApi).Assembly.GetManifestResourceStream("IotActors.Host.StatusPage.html")
            ?? throw new InvalidOperationException("the status page resource is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>What a productKey or deviceName may be here: 1–128 characters, no '/' (a topic level) and no control characters.</summary>
    internal static bool ValidName(string s) =>
        s.Length is > 0 and <= MaxNameLength && !s.Contains('/') && !s.Any(char.IsControl);

    private static Task<ClusterConnectionStatuses?> StatusesAsync(IRequiredActor<IotConsumer> consumer, CancellationToken token) =>
        Ask.TryAskAsync<ClusterConnectionStatuses>(consumer.GetAsync, GetClusterConnectionStatuses.Instance, token);
}
