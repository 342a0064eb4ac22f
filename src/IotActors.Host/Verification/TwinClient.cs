using System.Net;
using System.Text.Json;
using IotActors.Platform.Messages;

namespace IotActors.Host.Verification;

/// <summary>What the nodes said about one device.</summary>
public abstract record TwinAnswer
{
    private TwinAnswer() { }

    /// <summary>A node returned the twin.</summary>
    public sealed record Found(JsonElement Twin) : TwinAnswer;

    /// <summary>A node answered 404: the cluster has no state for the device.</summary>
    public sealed record NotFound : TwinAnswer;

    /// <summary>No node answered usefully (down, timed out, or an error); the last reason.</summary>
    public sealed record Unanswered(string Reason) : TwinAnswer;
}

/// <summary>
/// Reads device twins over the HTTP API of any of several nodes. Every node of a cluster can answer for every
/// device (the request is routed to the device's shard), so a node that is down, or that times out while the
/// device's shard is still moving, is skipped for the next one. Requests are spread over the nodes.
/// </summary>
public sealed class TwinClient(HttpClient http, IReadOnlyList<Uri> nodes)
{
    public async Task<TwinAnswer> GetAsync(DeviceId device, CancellationToken cancellationToken)
    {
        var path = $"api/devices/{Uri.EscapeDataString(device.ProductKey)}/{Uri.EscapeDataString(device.DeviceName)}";
        var first = (int)((uint)StringComparer.Ordinal.GetHashCode(device.ToString()) % (uint)nodes.Count);
        var reason = "no node given";
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[(first + i) % nodes.Count];
            try
            {
                using var response = await http.GetAsync(new Uri(node, path), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound) return new TwinAnswer.NotFound();
                if (response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return new TwinAnswer.Found(document.RootElement.Clone());
                }
                reason = $"{node} answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                reason = $"{node}: {(e is TaskCanceledException ? "timed out" : e.Message)}";
            }
        }
        return new TwinAnswer.Unanswered(reason);
    }
}
