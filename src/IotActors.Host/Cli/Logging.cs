using IotActors.Host.Running;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IotActors.Host.Cli;

internal static class Logging
{
    public static ILoggerFactory CreateConsoleFactory(LogLevel minimum = LogLevel.Information, IAnsiConsole? liveConsole = null) =>
        LoggerFactory.Create(b => b
            .SetMinimumLevel(minimum)
            .AddFilter("Akka", LogLevel.Warning)
            .AddConsoleLines(liveConsole));

    /// <summary>
    /// Single-line console logs; through <paramref name="liveConsole"/> when the live table is drawn there, so
    /// log lines scroll above the table instead of through it.
    /// </summary>
    public static ILoggingBuilder AddConsoleLines(this ILoggingBuilder builder, IAnsiConsole? liveConsole) =>
        liveConsole is null
            ? builder.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            : builder.AddProvider(new AnsiConsoleLoggerProvider(liveConsole));
}
