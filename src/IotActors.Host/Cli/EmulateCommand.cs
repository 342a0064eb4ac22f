using System.CommandLine;
using IotActors.Emulator;
using IotActors.Emulator.Replay;
using IotActors.Emulator.Simulation;
using Microsoft.Extensions.Logging;

namespace IotActors.Host.Cli;

/// <summary><c>iot-actors emulate</c>: the platform emulator alone, with simulated or replayed traffic.</summary>
public static class EmulateCommand
{
    public const string DefaultAccessKeyId = "LTAIEmulatorKey";
    /// <summary>A local development credential, documented in --help; never a real secret.</summary>
    public const string DefaultAccessKeySecret = "emulator-secret";

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port of the AMQPS listener (0 = any free port).", DefaultValueFactory = _ => 5671 };
        var listen = new Option<string>("--listen") { Description = "Address to listen on. Keep it on loopback unless you know why not.", DefaultValueFactory = _ => "127.0.0.1" };
        var keyId = new Option<string>("--access-key-id") { Description = "AccessKey ID clients sign with.", DefaultValueFactory = _ => DefaultAccessKeyId };
        var secret = new Option<string>("--access-key-secret") { Description = $"AccessKey secret clients sign with (default: the local development value '{DefaultAccessKeySecret}'). Never printed." };
        var groups = new Option<string[]>("--consumer-group") { Description = "Consumer group ID; repeat for several groups (each gets its own copy of every message).", DefaultValueFactory = _ => ["DEFAULT_GROUP"], AllowMultipleArgumentsPerToken = true };
        var instance = new Option<string?>("--instance-id") { Description = "Simulated instance ID (iot-…); clients must then send it. Omit for an old public instance." };
        var devices = new Option<int>("--devices") { Description = "Simulated devices (spread over --products products).", DefaultValueFactory = _ => 100 };
        var products = new Option<int>("--products") { Description = "Simulated products.", DefaultValueFactory = _ => 3 };
        var rate = new Option<double>("--rate") { Description = "Simulated messages per second; 0 = no simulated traffic.", DefaultValueFactory = _ => 100 };
        var count = new Option<int?>("--count") { Description = "Stop simulating after this many messages (default: until stopped)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulator: the same seed gives the same traffic.", DefaultValueFactory = _ => 42 };
        var ackTimeout = new Option<TimeSpan>("--ack-timeout") { Description = "Unsettled deliveries are redelivered after this (e.g. 30s, 500ms).", DefaultValueFactory = _ => TimeSpan.FromSeconds(30), CustomParser = Durations.Parse };
        var retryInterval = new Option<TimeSpan>("--retry-interval") { Description = "A redelivered (stacked) message that is not accepted again waits this long before its next push.", DefaultValueFactory = _ => TimeSpan.FromSeconds(60), CustomParser = Durations.Parse };
        var timeScale = new Option<double>("--time-scale") { Description = "Multiplies every emulator timer (auth, attach, ack, retry), e.g. 0.1 for ten times faster.", DefaultValueFactory = _ => 1.0 };
        var certHost = new Option<string[]>("--cert-host") { Description = "Extra host name the certificate is valid for (repeatable), e.g. a container service name; localhost and 127.0.0.1 are always in.", AllowMultipleArgumentsPerToken = true };
        var certOut = new Option<FileInfo?>("--cert-out") { Description = "Write the emulator's self-signed certificate (PEM) here, for clients to trust." };
        var replay = new Option<FileInfo?>("--replay") { Description = "Serve recorded traffic from a JSONL file first: {\"topic\",\"messageId\",\"generateTime\",\"body\"|\"bodyBase64\"} per line." };
        var duplicates = new Option<double>("--duplicate-probability") { Description = "Chance (0–1) that a delivery is pushed twice.", DefaultValueFactory = _ => 0 };
        var reorder = new Option<double>("--reorder-probability") { Description = "Chance (0–1) that neighbouring deliveries swap.", DefaultValueFactory = _ => 0 };
        var statsInterval = new Option<TimeSpan>("--stats-interval") { Description = "How often each consumer group's counters are logged.", DefaultValueFactory = _ => TimeSpan.FromSeconds(10), CustomParser = Durations.Parse };
        var awaitFile = new Option<FileInfo?>("--await-file") { Description = "Start the simulated traffic only once this file exists, e.g. created by a script when every node of a cluster is ready." };
        var truthOut = new Option<FileInfo?>("--truth-out") { Description = "With --count: once every simulated message is published, write what a correct consumer ends with (per device: messages, status, properties, events) as JSON here, for `verify`. Written atomically." };

        var command = new Command("emulate", "Run the IoT Platform AMQP emulator alone (TLS, SASL PLAIN with signature checks, consumer groups, acks, limits) with simulated or replayed device traffic.")
        {
            port, listen, keyId, secret, groups, instance, devices, products, rate, count, seed, ackTimeout, retryInterval, timeScale, certHost, certOut, replay, duplicates, reorder, statsInterval, awaitFile, truthOut,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggerFactory = Logging.CreateConsoleFactory();
            var log = loggerFactory.CreateLogger("iot-actors.emulate");
            var options = new EmulatorOptions
            {
                ListenAddress = parse.GetValue(listen)!,
                Port = parse.GetValue(port),
                AccessKeys = { [parse.GetValue(keyId)!] = parse.GetValue(secret) ?? DefaultAccessKeySecret },
                ConsumerGroups = [.. parse.GetValue(groups)!],
                InstanceId = parse.GetValue(instance),
                AckTimeout = parse.GetValue(ackTimeout),
                StackedRetryInterval = parse.GetValue(retryInterval),
                TimeScale = parse.GetValue(timeScale),
                RandomSeed = parse.GetValue(seed),
                CertificateHostNames = [.. parse.GetValue(certHost) ?? []],
            };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                foreach (var p in problems) Console.Error.WriteLine("error: " + p);
                return 2;
            }

            if (parse.GetValue(statsInterval) < TimeSpan.FromMilliseconds(100))
            {
                Console.Error.WriteLine("error: --stats-interval must be at least 100ms.");
                return 2;
            }
            var truthFile = parse.GetValue(truthOut);
            if (truthFile is not null && (parse.GetValue(count) is null || parse.GetValue(rate) <= 0 || parse.GetValue(replay) is not null))
            {
                // The truth is written when the simulated traffic ends, and covers simulated messages only.
                Console.Error.WriteLine("error: --truth-out needs --count and a --rate above 0, and cannot be combined with --replay.");
                return 2;
            }

            IReadOnlyList<EmulatedMessage> replayed = [];
            if (parse.GetValue(replay) is { } file)
            {
                if (!file.Exists) { Console.Error.WriteLine($"error: --replay file '{file.FullName}' does not exist."); return 2; }
                var read = ReplayFile.Read(file.FullName);
                if (read.HasErrors)
                {
                    foreach (var e in read.Errors.Take(20)) Console.Error.WriteLine("error: " + e);
                    return 2;
                }
                replayed = read.Messages;
            }

            SimulatorOptions simulation;
            try
            {
                simulation = new SimulatorOptions { Devices = parse.GetValue(devices), Products = parse.GetValue(products), Seed = parse.GetValue(seed) };
                simulation.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }

            await using var emulator = await PlatformEmulator.StartAsync(options, loggerFactory, cancellationToken);
            emulator.Faults.DuplicateProbability = parse.GetValue(duplicates);
            emulator.Faults.ReorderProbability = parse.GetValue(reorder);

            Console.WriteLine($"IoT Platform emulator listening on {emulator.Endpoint}");
            Console.WriteLine($"  consumer groups: {string.Join(", ", options.ConsumerGroups)}; instance ID: {options.InstanceId ?? "(none: old public instance)"}");
            Console.WriteLine($"  access key ID: {parse.GetValue(keyId)} (secret not shown); SASL PLAIN, signMethod hmacmd5/hmacsha1/hmacsha256");
            if (parse.GetValue(certOut) is { } pem)
            {
                emulator.ExportCertificatePem(pem.FullName);
                Console.WriteLine($"  certificate (trust it as a root CA): {pem.FullName}");
            }

            foreach (var m in replayed) emulator.Publish(m);
            if (replayed.Count > 0) Console.WriteLine($"  replayed {replayed.Count} messages from {parse.GetValue(replay)!.FullName}");

            var perSecond = parse.GetValue(rate);
            Task traffic = Task.CompletedTask;
            if (perSecond > 0)
            {
                var simulator = new DeviceSimulator(simulation);
                var pump = new TrafficPump(simulator, perSecond);
                var max = parse.GetValue(count) ?? int.MaxValue;
                var startFile = parse.GetValue(awaitFile);
                Console.WriteLine($"  simulating {simulation.Devices} devices over {simulation.Products} products at {perSecond} msg/s (seed {simulation.Seed})" +
                    (startFile is null ? "" : $", once {startFile.FullName} exists"));
                traffic = PublishAsync();

                async Task PublishAsync()
                {
                    if (startFile is not null)
                    {
                        // Polled: a file created by another process is the simplest start signal a shell script can give.
                        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
                        while (!File.Exists(startFile.FullName)) await poll.WaitForNextTickAsync(cancellationToken);
                        log.LogInformation("{File} exists: simulated traffic starts", startFile.FullName);
                    }
                    await pump.RunAsync(emulator.Publish, max, cancellationToken);
                    if (truthFile is null) return;
                    var truth = simulator.Truth;
                    try
                    {
                        GroundTruthFile.Write(truth, truthFile.FullName);
                        log.LogInformation("All {Count} simulated messages published; ground truth of {Devices} devices written to {File}",
                            truth.TotalMessages, truth.Devices.Count, truthFile.FullName);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        log.LogError("Could not write the ground truth to {File}: {Error}", truthFile.FullName, e.Message);
                    }
                }
            }
            Console.WriteLine("Press Ctrl+C to stop.");

            using var ticker = new PeriodicTimer(parse.GetValue(statsInterval));
            try
            {
                while (await ticker.WaitForNextTickAsync(cancellationToken))
                {
                    foreach (var group in options.ConsumerGroups)
                    {
                        var s = emulator.GetStats(group);
                        log.LogInformation("{Group}: published {Published}, delivered {Delivered}, accepted {Accepted}, in flight {InFlight}, stacked {Stacked}, clients {Clients}, " +
                            "redelivered {Redelivered}, ack timeouts {AckTimeouts}, returned on link close {Returned}",
                            group, s.Published, s.Delivered, s.Accepted, s.InFlight, s.Stacked + s.Pending, s.OnlineClients, s.Redelivered, s.AckTimeouts, s.ReturnedOnLinkClose);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C / SIGTERM: fall through to a clean stop.
            }

            try { await traffic; } catch (OperationCanceledException) { }
            Console.WriteLine("Emulator stopped.");
            return 0;
        });
        return command;
    }
}
