using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OpenTelemetry.Metrics;
using Akka.Actor;
using Akka.Hosting;
using IotActors.Actors.Cluster;
using IotActors.Actors.Connections;
using IotActors.Actors.Persistence;
using IotActors.Actors.Devices;
using IotActors.Actors.Twin;
using IotActors.Actors.Diagnostics;
using IotActors.Actors.Hosting;
using IotActors.Host.Http;
using IotActors.Host.Configuration;
using IotActors.Host.Running;
using IotActors.Platform.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IotActors.Host.Cli;

/// <summary>
/// <c>iot-actors run</c>: one node. With no platform configured (no <c>Platform:Host</c>) it is the
/// embedded default: the emulator in-process on loopback with simulated devices. Otherwise it connects to
/// the configured endpoint. Ctrl+C / SIGTERM drain in-flight deliveries, accept what was processed, then exit 0.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var devices = new Option<int?>("--devices") { Description = "Embedded default only: simulated devices, 1–99,999 (Embedded:Devices, default 100)." };
        var rate = new Option<double?>("--rate") { Description = "Embedded default only: simulated messages per second; 0 = no simulated traffic (Embedded:Rate, default 200)." };
        var count = new Option<int?>("--count") { Description = "Embedded default only: stop simulating after this many messages, 0 or more (Embedded:Count)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder of the SQLite state file (DataDir, default ./data)." };
        var httpPort = new Option<int?>("--http-port") { Description = "HTTP API port on 127.0.0.1 (Http:Port, default 5080; 0 = any free port)." };
        var view = new Option<TimeSpan>("--view-interval") { Description = "How often the live console view is updated.", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = Durations.Parse };
        var viewMode = new Option<string?>("--view") { Description = "Live console view: line, table or auto (View:Mode, default auto: a table on an interactive terminal outside CI, else one line)." };

        var command = new Command("run", "Run one node: consume the configured consumer group with device actors. With no Platform:Host configured, " +
            "start the embedded emulator with simulated devices instead. Settings: appsettings.json, IOTACTORS__* environment variables, or --Section:Key=value.")
        {
            devices, rate, count, dataDir, httpPort, view, viewMode,
        };
        command.TreatUnmatchedTokensAsErrors = false;

        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var settings = SettingArguments.Extract(parse.UnmatchedTokens, problems);
            if (parse.GetValue(devices) is { } d) settings.Add($"--Embedded:Devices={d}");
            if (parse.GetValue(rate) is { } r) settings.Add($"--Embedded:Rate={r.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            if (parse.GetValue(count) is { } n) settings.Add($"--Embedded:Count={n}");
            if (parse.GetValue(httpPort) is { } hp) settings.Add($"--Http:Port={hp}");
            if (parse.GetValue(dataDir) is { } dd) settings.Add($"--{PersistenceSettings.DataDirKey}={dd}");
            if (parse.GetValue(viewMode) is { } vm) settings.Add($"--{LiveViewModes.ConfigKey}={vm}");
            foreach (var p in problems) Console.Error.WriteLine("error: " + p);
            if (problems.Count > 0) return 2;

            var configuration = IotActorsConfiguration.Build([.. settings]);
            if (!LiveViewModes.TryParse(configuration[LiveViewModes.ConfigKey], out var requestedView))
            {
                Console.Error.WriteLine($"error: {LiveViewModes.ConfigKey} is '{configuration[LiveViewModes.ConfigKey]}'; allowed line, table or auto.");
                return 2;
            }
            var liveView = LiveViewModes.Resolve(requestedView, Console.IsOutputRedirected, Environment.GetEnvironmentVariable) == LiveViewMode.Table
                ? new LiveViewOptions(parse.GetValue(view), LiveViewMode.Table, AnsiConsole.Console)
                : new LiveViewOptions(parse.GetValue(view));
            using var loggerFactory = Logging.CreateConsoleFactory(liveConsole: liveView.Console);
            var log = loggerFactory.CreateLogger("iot-actors");

            var (persistence, persistenceErrors) = PersistenceSettings.Bind(configuration);
            if (persistence is null)
            {
                foreach (var e in persistenceErrors) Console.Error.WriteLine("error: " + e);
                return 2;
            }
            log.LogInformation("Device state: {Persistence}", PersistenceSettings.Describe(persistence));

            EmbeddedPlatform? embedded = null;
            PlatformOptions platform;
            if (PlatformOptionsBinder.IsPlatformConfigured(configuration))
            {
                var (options, errors) = PlatformOptionsBinder.Bind(configuration);
                if (options is null)
                {
                    foreach (var e in errors) Console.Error.WriteLine("error: " + e);
                    return 2;
                }
                platform = options;
                log.LogInformation("Connecting to the IoT Platform: {Platform}", PlatformOptionsBinder.DescribePlatform(platform));
            }
            else
            {
                var (embeddedOptions, embeddedErrors) = EmbeddedOptions.Bind(configuration);
                if (embeddedOptions is null)
                {
                    foreach (var e in embeddedErrors) Console.Error.WriteLine("error: " + e);
                    return 2;
                }
                embedded = await EmbeddedPlatform.StartAsync(embeddedOptions, loggerFactory, cancellationToken);
                platform = embedded.Platform;
                if (embeddedOptions.SimulatesTraffic)
                    log.LogInformation("No platform configured (Platform:Host is empty): running the EMBEDDED DEFAULT — the IoT Platform emulator on {Endpoint} " +
                        "with {Devices} simulated devices at {Rate} msg/s, consumed over {Connections} connections. Set IOTACTORS__PLATFORM__HOST and credentials to connect to the real platform.",
                        embedded.Emulator.Endpoint, embeddedOptions.Devices, embeddedOptions.Rate, embeddedOptions.Connections);
                else
                    log.LogInformation("No platform configured (Platform:Host is empty): running the EMBEDDED DEFAULT — the IoT Platform emulator on {Endpoint} " +
                        "with no simulated traffic (Embedded:Rate or Embedded:Count is 0), consumed over {Connections} connections. Set IOTACTORS__PLATFORM__HOST and credentials to connect to the real platform.",
                        embedded.Emulator.Endpoint, embeddedOptions.Connections);
            }

            try
            {
                // Created before the actor system starts, so the live view counts from the first message.
                using var counters = new PipelineCounters();
                await using var app = BuildApp(configuration, platform, persistence, embedded, counters, liveView);
                await app.StartAsync(cancellationToken);
                log.LogInformation("HTTP API on {Urls}: / (status page) /healthz /readyz /metrics /api/connections /api/devices?product=&page= /api/devices/{{productKey}}/{{deviceName}}", string.Join(", ", app.Urls));
                await app.WaitForShutdownAsync(cancellationToken);
                log.LogInformation("Stopped: in-flight deliveries drained.");
                return 0;
            }
            finally
            {
                if (embedded is not null) await embedded.DisposeAsync();
            }
        });
        return command;
    }

    private static WebApplication BuildApp(IConfiguration configuration, PlatformOptions platform, DevicePersistenceOptions persistence, EmbeddedPlatform? embedded, PipelineCounters counters, LiveViewOptions liveView)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "iot-actors", Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        var http = configuration.GetSection("Http").Get<HttpOptions>() ?? new HttpOptions();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(http.Address), http.Port));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddConsoleLines(liveView.Console);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(IotActorsMetrics.MeterName).AddPrometheusExporter());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(40));

        var consumer = configuration.GetSection("Consumer").Get<ConsumerOptions>() ?? new ConsumerOptions();
        builder.Services.AddSingleton(counters);
        builder.Services.AddSingleton(liveView);
        builder.Services.AddSingleton(sp => new DeviceDirectory(sp.GetRequiredService<ActorSystem>(), persistence.Provider, sp.GetRequiredService<ILogger<DeviceDirectory>>()));
        builder.Services.AddAkka("iot-actors", akka =>
        {
            var hocon = Path.Combine(AppContext.BaseDirectory, "hocon");
            akka.AddHoconFile(Path.Combine(hocon, "base.conf"), HoconAddMode.Append);
            // Every node is a cluster node, even alone (one code path): sharded devices, connections as sharded daemons.
            akka.WithIotActorsCluster(key => configuration[key], hocon);
            akka.WithDevicePersistence(persistence);
            akka.ConfigureLoggers(l =>
            {
                l.LogLevel = Akka.Event.LogLevel.WarningLevel;
                l.ClearLoggers();
                l.AddLoggerFactory();
            });
            // The built-in twin, tuned from the "Devices" section (dedupe window, retries, passivation); in memory, state
            // is written when a device stops unless Devices:StateWrites says otherwise.
            var stateWrites = PersistenceSettings.StateWrites(configuration, persistence);
            akka.WithDeviceBehavior<DeviceTwinBehavior, DeviceTwin>(o =>
            {
                configuration.GetSection("Devices").Bind(o);
                o.StateWrites = stateWrites;
            });
            akka.WithIotConsumer(platform, consumer, embedded?.TrustedRoots);
        });
        builder.Services.AddHostedService<LiveConsoleView>();
        builder.Services.AddSingleton<ThroughputHistory>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ThroughputHistory>());
        var app = builder.Build();
        HttpApi.Map(app);
        return app;
    }
}
