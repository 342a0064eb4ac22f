namespace IotActors.Host.Running;

/// <summary>How the live console view shows its numbers (<c>View:Mode</c>, <c>--view</c>).</summary>
public enum LiveViewMode
{
    /// <summary>A table on an interactive terminal, the plain line everywhere else. The default.</summary>
    Auto,
    /// <summary>One log line every interval: what logs, pipes, CI and the tests read.</summary>
    Line,
    /// <summary>A Spectre.Console table redrawn in place; log lines scroll above it.</summary>
    Table,
}

/// <summary>Reads <c>View:Mode</c> and decides what <see cref="LiveViewMode.Auto"/> means for this process.</summary>
public static class LiveViewModes
{
    public const string ConfigKey = "View:Mode";

    /// <summary><c>auto</c>, <c>line</c> or <c>table</c>, any case; empty or missing is <see cref="LiveViewMode.Auto"/>.</summary>
    public static bool TryParse(string? text, out LiveViewMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto": mode = LiveViewMode.Auto; return true;
            case "line": mode = LiveViewMode.Line; return true;
            case "table": mode = LiveViewMode.Table; return true;
            default: mode = LiveViewMode.Auto; return false;
        }
    }

    /// <summary>
    /// <see cref="LiveViewMode.Line"/> or <see cref="LiveViewMode.Table"/>: a forced mode stays as it is;
    /// <see cref="LiveViewMode.Auto"/> is a table only when standard output is a terminal, no CI system is
    /// driving the process (<c>CI</c> set to anything but empty, <c>false</c> or <c>0</c>) and the terminal is not
    /// <c>TERM=dumb</c>: redrawing in place would garble a log file or a CI transcript.
    /// </summary>
    /// <param name="requested">What the configuration asked for.</param>
    /// <param name="outputRedirected"><see cref="Console.IsOutputRedirected"/>.</param>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    public static LiveViewMode Resolve(LiveViewMode requested, bool outputRedirected, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (requested != LiveViewMode.Auto) return requested;
        if (outputRedirected) return LiveViewMode.Line;
        if (environment("CI") is { Length: > 0 } ci && !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0") return LiveViewMode.Line;
        if (string.Equals(environment("TERM"), "dumb", StringComparison.Ordinal)) return LiveViewMode.Line;
        return LiveViewMode.Table;
    }
}
