using Akka.Actor;
using Akka.Hosting;
using IotActors.Actors.Connections;
using IotActors.Actors.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotActors.Host.Running;

/// <summary>Every few seconds, one line: throughput, in-flight, devices, connections, reconnects, duplicates, parked.</summary>
public sealed class LiveConsoleView(PipelineCounters counters, IRequiredActor<IotConsumer> consumer, ILogger<LiveConsoleView> logger, LiveViewOptions options)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        var lastAccepted = counters.Accepted;
        var lastTime = DateTimeOffset.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = DateTimeOffset.UtcNow;
                var accepted = counters.Accepted;
                var rate = (accepted - lastAccepted) / Math.Max(0.001, (now - lastTime).TotalSeconds);
                (lastAccepted, lastTime) = (accepted, now);

                var (up, total) = await ConnectionsAsync(stoppingToken);
                logger.LogInformation(
                    "{Rate,7:0.0} msg/s | accepted {Accepted} | in flight {InFlight} | devices {Devices} | connections {Up}/{Total} | reconnects {Reconnects} | duplicates dropped {Duplicates} | parked {Parked}",
                    rate, accepted, counters.InFlight, counters.DevicesAlive, up, total, counters.Reconnects, counters.Duplicates, counters.Parked);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task<(int Up, int Total)> ConnectionsAsync(CancellationToken token)
    {
        try
        {
            var actor = await consumer.GetAsync(token);
            var statuses = await actor.Ask<ClusterConnectionStatuses>(GetClusterConnectionStatuses.Instance, TimeSpan.FromSeconds(2), token);
            var all = statuses.Nodes.SelectMany(n => n.Connections).ToList();
            return (all.Count(c => c.State == ConnectionState.Attached), all.Count + statuses.Unassigned.Count);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return (0, 0);
        }
    }
}

/// <summary>How often the live view prints. <b>Default:</b> 5 s.</summary>
public sealed record LiveViewOptions(TimeSpan Interval);
