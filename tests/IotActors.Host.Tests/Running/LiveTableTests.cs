using IotActors.Host.Running;
using Microsoft.Extensions.Logging;
using Spectre.Console.Testing;

namespace IotActors.Host.Tests.Running;

public class LiveTableTests
{
    private static LiveSnapshot Snapshot(double rate, long accepted) =>
        new(DateTimeOffset.UnixEpoch, rate, accepted, InFlight: 7, Devices: 42, ConnectionsUp: 1, ConnectionsTotal: 2,
            Reconnects: 3, Duplicates: 5, Parked: 9);

    [Fact]
    public void The_table_shows_every_number_of_the_line_in_80_columns()
    {
        using var console = new TestConsole().Width(80);
        console.Write(LiveTable.Render(Snapshot(123.45, 1000)));

        var lines = console.Lines;
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        AssertRow(lines, "msg/s", "123.5");
        AssertRow(lines, "accepted", "1000");
        AssertRow(lines, "in flight", "7");
        AssertRow(lines, "devices", "42");
        AssertRow(lines, "connections up/total", "1/2");
        AssertRow(lines, "reconnects", "3");
        AssertRow(lines, "duplicates dropped", "5");
        AssertRow(lines, "parked", "9");
    }

    [Fact]
    public async Task The_live_table_shows_the_newest_numbers_and_log_lines_above_it()
    {
        using var console = new TestConsole().Width(80);
        using var logs = new AnsiConsoleLoggerProvider(console);
        var logger = logs.CreateLogger("Test");

        async IAsyncEnumerable<LiveSnapshot> Snapshots()
        {
            yield return Snapshot(1, 10);
            await Task.Yield();
            // Written while the live table is on screen, as a connection warning would be.
            logger.LogWarning("connection embedded-0 lost");
            yield return Snapshot(2, 20);
        }

        await LiveConsoleView.ShowTableAsync(console, Snapshots());

        var output = console.Output;
        var warning = output.IndexOf("warn: Test[0] connection embedded-0 lost", StringComparison.Ordinal);
        Assert.True(warning >= 0, output);
        var lastTable = output.LastIndexOf("connections up/total", StringComparison.Ordinal);
        Assert.True(lastTable > warning, "the table is redrawn below the log line:\n" + output);
        AssertRow(console.Lines, "accepted", "20");
    }

    private static void AssertRow(IReadOnlyList<string> lines, string name, string value) =>
        Assert.Contains(lines, l => l.Contains(name, StringComparison.Ordinal) && l.TrimEnd().TrimEnd('│').TrimEnd().EndsWith(" " + value, StringComparison.Ordinal));
}
