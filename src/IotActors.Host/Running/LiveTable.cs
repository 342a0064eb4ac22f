using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IotActors.Host.Running;

/// <summary>The live console view as a Spectre.Console table: one row per number, so it fits an 80-column terminal.</summary>
public static class LiveTable
{
    /// <summary>Shown until the first tick.</summary>
    public static IRenderable Waiting() => new Markup("[grey]iot-actors: waiting for the first numbers…[/]" + Environment.NewLine);

    public static Table Render(LiveSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"iot-actors · {s.Time.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}")
            .AddColumn("")
            .AddColumn(new TableColumn("").RightAligned())
            .HideHeaders();
        Row(table, "msg/s", s.Rate.ToString("0.0", CultureInfo.InvariantCulture));
        Row(table, "accepted", Number(s.Accepted));
        Row(table, "in flight", Number(s.InFlight));
        Row(table, "devices", Number(s.Devices));
        Row(table, "connections up/total", $"{Number(s.ConnectionsUp)}/{Number(s.ConnectionsTotal)}",
            s.ConnectionsTotal > 0 && s.ConnectionsUp == s.ConnectionsTotal ? Color.Green : Color.Red);
        Row(table, "reconnects", Number(s.Reconnects), s.Reconnects > 0 ? Color.Yellow : null);
        Row(table, "duplicates dropped", Number(s.Duplicates));
        Row(table, "parked", Number(s.Parked), s.Parked > 0 ? Color.Yellow : null);
        return table;
    }

    private static void Row(Table table, string name, string value, Color? color = null) =>
        table.AddRow(new Text(name), new Text(value, color is { } c ? new Style(c) : Style.Plain));

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
