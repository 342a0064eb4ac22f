using System.CommandLine;
using System.Diagnostics;
using IotActors.Emulator.Simulation;
using IotActors.Host.Verification;
using IotActors.Platform.Messages;

namespace IotActors.Host.Cli;

/// <summary>
/// <c>iot-actors verify</c>: compares every device twin that running nodes serve over HTTP with the ground truth an
/// emulator wrote (<c>emulate --truth-out</c>). Twins converge after redeliveries, so it asks again until every device
/// matches or the timeout passes. Exit 0 when all match, 1 when some do not, 2 on bad arguments.
/// </summary>
public static class VerifyCommand
{
    private const int Concurrency = 8;

    public static Command Create()
    {
        var truth = new Option<FileInfo>("--truth") { Description = "Ground truth JSON written by `emulate --truth-out`.", Required = true };
        var api = new Option<string[]>("--api") { Description = "Base URL of a node's HTTP API, e.g. http://127.0.0.1:5080; repeat for several nodes (a node that does not answer is skipped for the next).", Required = true, AllowMultipleArgumentsPerToken = true };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "Give up asking again after this (e.g. 120s, 2m).", DefaultValueFactory = _ => TimeSpan.FromSeconds(120), CustomParser = Durations.Parse };
        var interval = new Option<TimeSpan>("--interval") { Description = "Pause between two rounds of asking for the devices that do not match yet.", DefaultValueFactory = _ => TimeSpan.FromSeconds(1), CustomParser = Durations.Parse };

        var command = new Command("verify", "Check that every device twin served by the nodes' HTTP API matches the ground truth of a simulated run " +
            "(emulate --truth-out): nothing lost, nothing applied twice, newest status, properties and events. Exit 0 only when every device matches.")
        {
            truth, api, timeout, interval,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(truth)!;
            var nodes = new List<Uri>();
            foreach (var text in parse.GetValue(api)!)
            {
                if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    Console.Error.WriteLine($"error: --api '{text}' is not an http(s) URL.");
                    return 2;
                }
                nodes.Add(uri);
            }
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: --truth file '{file.FullName}' does not exist.");
                return 2;
            }
            GroundTruth expected;
            try
            {
                expected = GroundTruthFile.Read(file.FullName);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }

            Console.WriteLine($"Verifying {expected.Devices.Count} devices ({expected.TotalMessages} messages) from {file.FullName} " +
                $"against {string.Join(", ", nodes.Select(n => n.ToString().TrimEnd('/')))}; giving up after {parse.GetValue(timeout).TotalSeconds:0.#} s");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var report = await VerifyAsync(expected, new TwinClient(http, nodes), parse.GetValue(timeout), parse.GetValue(interval), Console.Out, cancellationToken);
            Console.WriteLine(report.AllMatch ? "Every twin matches the ground truth." : "Twins do NOT match the ground truth:");
            report.Print(Console.Out);
            return report.AllMatch ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// Asks for the devices that do not match yet until all do or <paramref name="timeout"/> passes; once all match,
    /// asks for every device once more, so a late redelivery applied twice cannot slip through. Stops early when
    /// every mismatch is final (applied twice).
    /// </summary>
    public static async Task<VerificationReport> VerifyAsync(GroundTruth expected, TwinClient twins, TimeSpan timeout, TimeSpan interval, TextWriter progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var verdicts = new Dictionary<DeviceId, DeviceVerdict>();
        var toAsk = expected.Devices.Keys.OrderBy(d => d.ToString(), StringComparer.Ordinal).ToList();
        var confirming = false;
        var lastMatching = -1;
        var lastPrinted = TimeSpan.Zero;
        for (var round = 1; ; round++)
        {
            foreach (var verdict in await AskAsync(expected, twins, toAsk, cancellationToken)) verdicts[verdict.Device] = verdict;
            var report = new VerificationReport(verdicts.Values);
            if (report.AllMatch)
            {
                if (confirming) return report;
                // Everything matched once: one more pass over every device confirms it stays so.
                confirming = true;
                toAsk = [.. verdicts.Keys];
                continue;
            }
            confirming = false;
            if (report.Matching != lastMatching || clock.Elapsed - lastPrinted >= TimeSpan.FromSeconds(10))
            {
                progress.WriteLine($"  {clock.Elapsed.TotalSeconds,5:0.0} s  round {round}: {report.Matching} of {report.DevicesChecked} devices match, " +
                    $"{report.LostMessages} messages not applied yet, {report.AppliedTwice} applied twice");
                lastMatching = report.Matching;
                lastPrinted = clock.Elapsed;
            }
            var mismatching = verdicts.Values.Where(v => !v.Matches).ToList();
            if (mismatching.All(v => v.IsFinal) || clock.Elapsed + interval > timeout) return report;
            toAsk = [.. mismatching.Select(v => v.Device)];
            await Task.Delay(interval, cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<DeviceVerdict>> AskAsync(GroundTruth expected, TwinClient twins, IReadOnlyList<DeviceId> devices, CancellationToken cancellationToken)
    {
        var verdicts = new DeviceVerdict[devices.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, devices.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var truth = expected[devices[i]];
                verdicts[i] = await twins.GetAsync(devices[i], token) switch
                {
                    TwinAnswer.Found found => TwinComparison.Compare(truth, found.Twin),
                    TwinAnswer.NotFound => TwinComparison.NoTwin(truth),
                    TwinAnswer.Unanswered u => TwinComparison.Unanswered(truth, u.Reason),
                    _ => throw new UnreachableException(),
                };
            });
        return verdicts;
    }
}
