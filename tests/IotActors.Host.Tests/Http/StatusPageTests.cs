using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IotActors.Host.Tests.Http;

/// <summary>The status page at <c>/</c>, loaded in Debian's headless Chromium against a running node.</summary>
public partial class StatusPageTests
{
    private const string Chromium = "/usr/bin/chromium";

    [GeneratedRegex(@"<b id=""accepted-total"">(\d+)</b>")]
    private static partial Regex AcceptedTile();

    [SkippableFact]
    public async Task Status_page_shows_live_numbers_in_a_real_browser()
    {
        RequireChromium();
        using var run = HostProcess.Start(new Dictionary<string, string?>(), "run", "--devices", "20", "--rate", "100", "--http-port", "0", "--view-interval", "500ms");
        await run.WaitForLineAsync(l => Regex.IsMatch(l, @"accepted [1-9]\d*"), TimeSpan.FromSeconds(90));

        var dom = await DumpDomAsync(new Uri(await run.HttpApiAsync(TimeSpan.FromSeconds(90)), "/").ToString());
        await run.TerminateAsync(TimeSpan.FromSeconds(60));

        var accepted = AcceptedTile().Match(dom);
        Assert.True(accepted.Success, dom);
        Assert.True(long.Parse(accepted.Groups[1].Value, CultureInfo.InvariantCulture) > 0, "the page shows no accepted messages");
        Assert.Contains("<b id=\"connections-up\">2 / 2</b>", dom);
        Assert.Contains("<td>embedded-0</td>", dom);
        Assert.Contains("<span id=\"ready\" class=\"ok\">ready</span>", dom);
        // The device list (first page of /api/devices) shows at least one journaled device.
        var list = dom[Math.Max(0, dom.IndexOf("<form id=\"list\"", StringComparison.Ordinal))..];
        Assert.True(Regex.IsMatch(list, @"<td>a1Sim00\d</td><td><a href=""#twin"">dev-\d{5}</a></td>"), list);
        Assert.True(Regex.IsMatch(list, @"<span id=""list-page"">page 1 of \d+ \(\d+ devices\)</span>"), list);
    }

    private static async Task<string> DumpDomAsync(string url)
    {
        var profile = Directory.CreateTempSubdirectory("iotactors-chromium-");
        try
        {
            var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.FullName,
                // Lets the page's scripts run (fetch and render) before the DOM is printed.
                "--virtual-time-budget=5000", "--dump-dom", url,
            }) start.ArgumentList.Add(a);
            using var browser = Process.Start(start)!;
            var stdout = browser.StandardOutput.ReadToEndAsync();
            var stderr = browser.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await browser.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                browser.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not finish: " + await stderr);
            }
            return await stdout;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static void RequireChromium()
    {
        if (File.Exists(Chromium)) return;
        var reason = $"{Chromium} is missing (Debian package 'chromium'; scripts/test.sh installs it as root)";
        if (Environment.GetEnvironmentVariable("IOTACTORS_REQUIRE_PEERS") == "1") throw new InvalidOperationException(reason);
        Skip.If(true, reason);
    }
}
