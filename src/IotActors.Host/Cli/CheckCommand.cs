using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Security.Cryptography;
using IotActors.Host.Configuration;
using IotActors.Platform.Amqp;
using IotActors.Platform.Credentials;
using IotActors.Platform.Options;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Cli;

/// <summary>
/// <c>iot-actors check</c>: connects once with the configured credentials, attaches the receiver link,
/// and closes again without consuming anything; on failure it says what is wrong and what to check.
/// </summary>
/// <remarks>
/// <para>Exit codes: 0 connected and attached; 1 the connection failed (findings on stderr);
/// 2 the configuration is invalid (each problem on stderr).</para>
/// <para>Settings come from <see cref="IotActorsConfiguration"/> (appsettings.json, <c>IOTACTORS__…</c>
/// environment variables, <c>--Platform:Key=value</c> arguments); the explicit options override them.
/// The link gets credit 1, and a message that arrives anyway is released, not accepted, so the platform
/// delivers it again to the real consumers.</para>
/// </remarks>
public static class CheckCommand
{
    /// <summary>Client ID used when neither <c>--client-id</c> nor <c>Platform:ClientIds</c> gives one.</summary>
    public const string DefaultClientId = "iot-actors-check";

    /// <summary>Exit code: connected and attached.</summary>
    public const int Connected = 0;

    /// <summary>Exit code: the connection failed.</summary>
    public const int ConnectionFailed = 1;

    /// <summary>Exit code: the configuration (or the command line) is invalid.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The command, reading configuration with <see cref="IotActorsConfiguration.Build(string[], string?)"/>.</summary>
    public static Command Create() => Create(args => IotActorsConfiguration.Build(args));

    /// <summary>
    /// The command, with the configuration built by <paramref name="buildConfiguration"/> from the
    /// configuration-style arguments (<c>--Platform:Host=…</c>, explicit options already translated).
    /// Tests pass a builder with an injected environment and base path.
    /// </summary>
    public static Command Create(Func<string[], IConfiguration> buildConfiguration)
    {
        ArgumentNullException.ThrowIfNull(buildConfiguration);

        var host = Setting("--host", "Platform:Host", "AMQP endpoint host, e.g. iot-06z00xxxx.amqp.iothub.aliyuncs.com.");
        var port = Setting("--port", "Platform:Port", "AMQPS port (default 5671).");
        var keyId = Setting("--access-key-id", "Platform:AccessKeyId", "AccessKey ID.");
        var secret = Setting("--access-key-secret", "Platform:AccessKeySecret",
            "AccessKey secret. Safer in the IOTACTORS__PLATFORM__ACCESSKEYSECRET environment variable: a command line shows in ps and shell history. Never printed.");
        var group = Setting("--consumer-group", "Platform:ConsumerGroupId", "Consumer group ID (default DEFAULT_GROUP from appsettings.json).");
        var instance = Setting("--instance-id", "Platform:IotInstanceId", "Instance ID (iot-…); pass \"\" for an old public instance that has none.");
        var signMethod = Setting("--sign-method", "Platform:SignMethod", "hmacmd5, hmacsha1 or hmacsha256 (default hmacsha256).");
        var trustedRootCa = Setting("--trusted-root-ca", "Platform:TrustedRootCa",
            "PEM file of an extra root CA to trust (e.g. the emulator's --cert-out). Certificates are always validated.");
        var clientId = new Option<string?>("--client-id")
        {
            Description = $"Client ID to connect as (default: the first of Platform:ClientIds, else '{DefaultClientId}').",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var timeout = new Option<string?>("--timeout")
        {
            Description = "Time allowed for DNS, TCP, TLS, login, open and attach, e.g. 15s (default: Platform:ConnectTimeout, 15 s; at most 15 s).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var settings = new[] { host, port, keyId, secret, group, instance, signMethod, trustedRootCa };

        var command = new Command("check",
            "Connect once to the IoT Platform with the configured credentials, attach the receiver link and close again without consuming anything; " +
            "report what is wrong (DNS, TCP, TLS, authentication, open, attach, timeout). " +
            "Settings: appsettings.json, IOTACTORS__PLATFORM__* environment variables, --Platform:Key=value, then the options below. " +
            "Exit 0 connected, 1 connection failed, 2 invalid configuration.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var (option, _) in settings) command.Options.Add(option);
        command.Options.Add(clientId);
        command.Options.Add(timeout);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = new CheckOutput(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            var problems = new List<string>();

            var args = SettingArguments.Extract(parse.UnmatchedTokens, problems);
            foreach (var (option, key) in settings)
            {
                if (Value(parse, option, problems) is { } value) args.Add($"--{key}={value}");
            }
            var clientIdValue = Value(parse, clientId, problems);
            TimeSpan? timeoutValue = null;
            if (Value(parse, timeout, problems) is { } timeoutText)
            {
                if (Durations.TryParse(timeoutText, out var t)) timeoutValue = t;
                else problems.Add($"--timeout '{timeoutText}' is not a duration; use e.g. 15s, 5000ms or 00:00:15.");
            }

            IConfiguration configuration;
            try
            {
                configuration = buildConfiguration([.. args]);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException)
            {
                output.Error("error: " + Describe(e));
                return InvalidConfiguration;
            }
            output.Conceal(configuration[PlatformOptionsBinder.Key(nameof(PlatformOptions.AccessKeySecret))]);
            output.Conceal(configuration[PlatformOptionsBinder.Key(nameof(PlatformOptions.SecurityToken))]);

            var (options, errors) = PlatformOptionsBinder.Bind(configuration, o =>
            {
                if (clientIdValue is not null) o.ClientIds = [clientIdValue];
                else if (o.ClientIds.Count == 0) o.ClientIds = [DefaultClientId];
                if (timeoutValue is { } t) o.ConnectTimeout = t;
            });
            problems.AddRange(errors);
            if (problems.Count > 0 || options is null)
            {
                foreach (var problem in problems) output.Error("error: " + problem);
                return InvalidConfiguration;
            }

            var id = options.ClientIds[0];
            ReceiverEndpoint endpoint;
            try
            {
                endpoint = options.CreateEndpoint(id) with { Credit = 1 };
            }
            catch (Exception e) when (e is CryptographicException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                output.Error($"error: {PlatformOptionsBinder.Key(nameof(PlatformOptions.TrustedRootCa))} '{options.TrustedRootCa}' is not a readable PEM certificate file: {e.Message}");
                return InvalidConfiguration;
            }
            output.Conceal(endpoint.Password);
            if (!string.IsNullOrEmpty(options.SecurityToken)) output.Conceal(endpoint.UserName);

            return await CheckAsync(options, id, endpoint, output, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> CheckAsync(PlatformOptions options, string clientId, ReceiverEndpoint endpoint, CheckOutput output, CancellationToken cancellationToken)
    {
        output.Line($"Checking amqps://{options.Host}:{options.Port} as client ID {clientId}, consumer group {options.ConsumerGroupId}, " +
            $"instance {(string.IsNullOrEmpty(options.IotInstanceId) ? "(none)" : options.IotInstanceId)}, AccessKey ID {options.AccessKeyId}, " +
            $"{options.AuthMode.ToWire()}/{options.SignMethod.ToWire()} (secret not shown)");

        var deliveries = new ReleasedDeliveries();
        var watch = Stopwatch.StartNew();
        AmqpReceiver receiver;
        try
        {
            receiver = await AmqpReceiver.ConnectAsync(endpoint, deliveries.OnDelivery, logger: null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Error("FAIL [cancelled] the check was stopped before the connection was up");
            return ConnectionFailed;
        }
        catch (ReceiverConnectException e)
        {
            CheckTlsProbeResult? probe = null;
            if (e.Stage == ConnectStage.Tls)
            {
                try
                {
                    probe = await CheckTlsProbe.ProbeAsync(options.Host, options.Port, endpoint.TrustedRoots, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopped while looking closer: report what the connection attempt itself said.
                }
            }
            output.Findings(CheckDiagnosis.Diagnose(e, options, clientId, probe));
            return ConnectionFailed;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.Findings(CheckDiagnosis.Diagnose(e));
            return ConnectionFailed;
        }
        var attachedMs = watch.ElapsedMilliseconds;

        deliveries.Attach(receiver);
        // Drains the credit, then detaches and closes; never throws. Nothing was accepted.
        await receiver.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);

        output.Line($"OK: connected to amqps://{options.Host}:{options.Port} as client ID {clientId}, consumer group {options.ConsumerGroupId}, " +
            $"receiver link attached in {attachedMs} ms");
        if (deliveries.Count > 0)
        {
            output.Line($"  {deliveries.Count} message(s) arrived during the check and were released, not consumed: the platform delivers them again.");
        }
        return Connected;
    }

    /// <summary>An option that overrides one configuration key; a missing value is reported, not a parse error (exit 2, not 1).</summary>
    private static (Option<string?> Option, string Key) Setting(string name, string key, string description) =>
        (new Option<string?>(name) { Description = $"{description} Overrides {key}.", Arity = ArgumentArity.ZeroOrOne }, key);

    private static string? Value(ParseResult parse, Option<string?> option, List<string> problems)
    {
        if (parse.GetResult(option) is not { Implicit: false } result) return null;
        if (result.Tokens.Count == 0)
        {
            problems.Add($"{option.Name} needs a value.");
            return null;
        }
        return parse.GetValue(option) ?? "";
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;

    /// <summary>Releases whatever arrives on the check's link: check must not consume. Deliveries can arrive before <see cref="Attach"/>.</summary>
    private sealed class ReleasedDeliveries
    {
        private readonly object _gate = new();
        private readonly List<ReceivedDelivery> _early = [];
        private AmqpReceiver? _receiver;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnDelivery(ReceivedDelivery delivery)
        {
            AmqpReceiver? receiver;
            lock (_gate)
            {
                _count++;
                receiver = _receiver;
                if (receiver is null)
                {
                    _early.Add(delivery);
                    return;
                }
            }
            receiver.Release(delivery);
        }

        public void Attach(AmqpReceiver receiver)
        {
            List<ReceivedDelivery> early;
            lock (_gate)
            {
                _receiver = receiver;
                early = [.. _early];
                _early.Clear();
            }
            foreach (var delivery in early) receiver.Release(delivery);
        }
    }
}
