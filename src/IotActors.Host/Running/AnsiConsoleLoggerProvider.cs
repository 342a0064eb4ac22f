using System.Globalization;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IotActors.Host.Running;

/// <summary>
/// Log lines written through a Spectre.Console <see cref="IAnsiConsole"/>, in the shape of the simple console
/// logger (<c>HH:mm:ss info: Category[0] message</c>). Used while the live table is shown: Spectre prints
/// whatever goes through its console above the live table, while a line written straight to stdout would
/// land inside the table's redraw and garble both.
/// </summary>
public sealed class AnsiConsoleLoggerProvider(IAnsiConsole console) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(console, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(IAnsiConsole console, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            if (exception is not null) message += " " + exception;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.Now:HH:mm:ss} {Level(logLevel)}: {category}[{eventId.Id}] {message.ReplaceLineEndings(" ")}");
            console.WriteLine(line, logLevel switch
            {
                >= LogLevel.Error => new Style(Color.Red),
                LogLevel.Warning => new Style(Color.Yellow),
                _ => Style.Plain,
            });
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
