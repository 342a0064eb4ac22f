using Microsoft.Extensions.Logging;

namespace IotActors.Host.Cli;

internal static class Logging
{
    public static ILoggerFactory CreateConsoleFactory(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(b => b
            .SetMinimumLevel(minimum)
            .AddFilter("Akka", LogLevel.Warning)
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
}
