using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Hosting;
using IotActors.Actors.Connections;
using IotActors.Actors.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IotActors.Host.Running;

/// <summary>
/// Every few seconds: throughput, in-flight, devices, connections, reconnects, duplicates, parked — as one
/// log line (<see cref="LiveViewMode.Line"/>) or as a Spectre.Console table redrawn in place
/// (<see cref="LiveViewMode.Table"/>, when <see cref="LiveViewOptions.Console"/> is given).
/// </summary>
public sealed class LiveConsoleView(PipelineCounters counters, IRequiredActor<IotConsumer> consumer, ILogger<LiveConsoleView> logger, LiveViewOptions options)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options is { Mode: LiveViewMode.Table, Console: { } console }
            ? ShowTableAsync(console, SnapshotsAsync(stoppingToken))
            : WriteLinesAsync(SnapshotsAsync(stoppingToken));

    /// <summary>
    /// Redraws the table on <paramref name="console"/> for every snapshot until they end; the last one stays on
    /// screen. Log lines written through the same console meanwhile appear above it.
    /// </summary>
    public static Task ShowTableAsync(IAnsiConsole console, IAsyncEnumerable<LiveSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(snapshots);
        return console.Live(LiveTable.Waiting())
            .AutoClear(false)
            .StartAsync(async context =>
            {
                await foreach (var snapshot in snapshots)
                {
                    // The trailing line break keeps whatever is printed next (logs, a redirected redraw) off the table's border.
                    context.UpdateTarget(new Rows(LiveTable.Render(snapshot), Text.Empty));
                    context.Refresh();
                }
            });
    }

    private async Task WriteLinesAsync(IAsyncEnumerable<LiveSnapshot> snapshots)
    {
        await foreach (var s in snapshots)
        {
            // Tests and log readers parse this line: keep its shape.
            logger.LogInformation(
                "{Rate,7:0.0} msg/s | accepted {Accepted} | in flight {InFlight} | devices {Devices} | connections {Up}/{Total} | reconnects {Reconnects} | duplicates dropped {Duplicates} | parked {Parked}",
                s.Rate, s.Accepted, s.InFlight, s.Devices, s.ConnectionsUp, s.ConnectionsTotal, s.Reconnects, s.Duplicates, s.Parked);
        }
    }

    /// <summary>One snapshot per interval until <paramref name="stoppingToken"/> is cancelled; then the sequence ends.</summary>
    private async IAsyncEnumerable<LiveSnapshot> SnapshotsAsync([EnumeratorCancellation] CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        var lastAccepted = counters.Accepted;
        var lastTime = DateTimeOffset.UtcNow;
        while (await NextTickAsync(timer, stoppingToken))
        {
            var now = DateTimeOffset.UtcNow;
            var accepted = counters.Accepted;
            var rate = (accepted - lastAccepted) / Math.Max(0.001, (now - lastTime).TotalSeconds);
            (lastAccepted, lastTime) = (accepted, now);

            var (up, total) = await ConnectionsAsync(stoppingToken);
            yield return new LiveSnapshot(now, rate, accepted, counters.InFlight, counters.DevicesAlive, up, total,
                counters.Reconnects, counters.Duplicates, counters.Parked);
        }
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false; // Stopping.
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

/// <summary>How the live view shows its numbers.</summary>
/// <param name="Interval">How often. <b>Default:</b> 5 s (<c>--view-interval</c>).</param>
/// <param name="Mode"><see cref="LiveViewMode.Line"/> or <see cref="LiveViewMode.Table"/> (already resolved from <see cref="LiveViewMode.Auto"/>). <b>Default:</b> line.</param>
/// <param name="Console">Where the table is drawn; without one the view writes lines.</param>
public sealed record LiveViewOptions(TimeSpan Interval, LiveViewMode Mode = LiveViewMode.Line, IAnsiConsole? Console = null);
