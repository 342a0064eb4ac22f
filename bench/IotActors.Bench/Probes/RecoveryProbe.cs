using System.Diagnostics;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Bench.Reporting;
using IotActors.Bench.Scenarios;
using IotActors.Bench.Traffic;
using IotActors.Platform.Messages;

namespace IotActors.Bench.Probes;

/// <summary>
/// Durable device state on SQLite, as <c>iot-actors run</c> keeps it: one node applies one property post to each of N
/// devices (their twins are journaled), stops; a new node on the same file then answers <see cref="GetDeviceState"/> for
/// all N, each recovered from the journal. Every answer is checked (one message applied), so a fast wrong answer
/// cannot pass for a fast recovery.
/// </summary>
public static class RecoveryProbe
{
    public static async Task<RecoveryResult> RunAsync(int devices, Topology topology, bool verbose, TextWriter log, bool sqliteAsBefore = false, bool groupCommit = true,
        int checkpointPages = DevicePersistenceOptions.DefaultSqliteCheckpointPages)
    {
        var directory = SqliteScratch.NewDirectory("iotactors-bench-recovery-");
        var options = new PipelineNodeOptions
        {
            Topology = topology,
            Persistence = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = directory, SqliteGroupCommit = groupCommit, SqliteCheckpointPages = checkpointPages },
            ConfigureDevices = o => o.PassivateAfter = TimeSpan.FromDays(1),
            Verbose = verbose,
            SqliteAsBefore = sqliteAsBefore,
        };
        var result = new RecoveryResult { Devices = devices };
        var timeout = TimeSpan.FromSeconds(120 + devices / 500.0);
        var factory = new MessageFactory(seed: 11);
        var shape = BodyShape.For(200);
        try
        {
            var writer = await PipelineNode.StartAsync(options);
            try
            {
                var before = MemoryProbe.SettledHeap();
                var clock = Stopwatch.StartNew();
                var written = await FanOut.RunAsync(writer.System, writer.Devices, devices,
                    i => Envelope(factory, MessageFactory.Device(i), i, shape),
                    reply => reply is Processed { Outcome: ProcessOutcome.Applied }, timeout);
                var writeSeconds = clock.Elapsed.TotalSeconds;
                var after = MemoryProbe.Heap();
                result = result with
                {
                    WriteSeconds = writeSeconds,
                    WritesPerSecond = devices / writeSeconds,
                    BytesPerDeviceWithState = (after - before) / (double)devices,
                    WrongState = written.FailedChecks,
                };
            }
            finally
            {
                await writer.DisposeAsync();
            }

            var restart = Stopwatch.StartNew();
            var reader = await PipelineNode.StartAsync(options);
            var restartSeconds = restart.Elapsed.TotalSeconds;
            try
            {
                var clock = Stopwatch.StartNew();
                var recovered = await FanOut.RunAsync(reader.System, reader.Devices, devices,
                    i => new GetDeviceState(MessageFactory.Device(i)),
                    reply => reply is DeviceStateReply { MessagesApplied: 1 }, timeout);
                var recoverSeconds = clock.Elapsed.TotalSeconds;
                result = result with
                {
                    RestartSeconds = restartSeconds,
                    RecoverSeconds = recoverSeconds,
                    RecoveredPerSecond = devices / recoverSeconds,
                    WrongState = result.WrongState + recovered.FailedChecks,
                };
            }
            finally
            {
                await reader.DisposeAsync();
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            log.WriteLine($"    recovery probe failed: {e.Message}");
            result = result with { Error = e.Message };
        }
        finally
        {
            SqliteScratch.Delete(directory);
        }
        return result;
    }

    private static DeviceEnvelope Envelope(MessageFactory factory, DeviceId device, int index, BodyShape shape)
    {
        var (sequence, messageId, time) = factory.NextIdentity();
        var deviceMessage = new DeviceMessage(messageId, MessageFactory.PropertyTopic(device), MessageKind.PropertyPost, null,
            time, time, factory.Body(device, sequence, time, shape));
        return new DeviceEnvelope(device, deviceMessage, new DeliveryRef("recovery-probe", 1, index));
    }
}
