using System.Globalization;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;

namespace IotActors.Bench;

/// <summary>Where the pipeline's device region runs: as the host runs it (a cluster of one, Cluster Sharding) or the local router.</summary>
public enum Topology
{
    Cluster,
    Local,
}

/// <summary>What one bench run does; parsed from the command line by <see cref="Parse"/>.</summary>
public sealed class BenchSettings
{
    public static readonly IReadOnlyList<string> AllScenarios =
    [
        ScenarioNames.Ceiling, ScenarioNames.VendorSample, ScenarioNames.AkkaFloor, ScenarioNames.IotActorsMemory,
        ScenarioNames.AkkaPersistFloor, ScenarioNames.IotActorsDurable,
    ];

    /// <summary>Short run for CI smoke: one small cell, every default scenario, small probes; no thresholds.</summary>
    public bool Quick { get; init; }

    public IReadOnlyList<string> ScenarioList { get; init; } = AllScenarios;

    /// <summary>The cells to run, in order.</summary>
    public IReadOnlyList<BenchCell> Cells { get; init; } = DefaultMatrix;

    /// <summary>Saturated load before the measured window (JIT, device incarnation, connection ramp-up).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Saturated window: messages/s, CPU and allocation per message, latency at saturation.</summary>
    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// How often each cell runs its scenarios. One run of a cell is one sample of a shared machine, and the ceiling and
    /// a scenario are measured one after the other, so load that comes or goes between them moves the ratio by ±0.1–0.3.
    /// With more than one, each repetition is a ratio to its own ceiling, every other repetition runs the scenarios in
    /// reverse order (so a trend in the machine's load favours neither side), and the targets are judged on each
    /// cell's median. <b>Default:</b> 1.
    /// </summary>
    public int Repetitions { get; init; } = 1;

    /// <summary>Paced window at <see cref="LatencyLoad"/> × the saturated rate: latency where the target applies.</summary>
    public TimeSpan Paced { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Fraction of the scenario's own sustained rate offered in the paced window. <b>Default:</b> 0.8.</summary>
    public double LatencyLoad { get; init; } = 0.8;

    /// <summary>
    /// Device counts for the memory probe (idle resident device actors); the first one also checks passivation, so it must
    /// incarnate within <see cref="PassivateAfter"/>. Empty = skip. 1,000,000 is opt-in: incarnating it takes minutes here.
    /// </summary>
    public IReadOnlyList<int> MemoryDevices { get; init; } = [20_000, 100_000];

    /// <summary>Devices written and then recovered from the SQLite journal after a restart; 0 = skip.</summary>
    public int RecoveryDevices { get; init; } = 2_000;

    /// <summary>How long an idle device waits before passivating in the passivation check.</summary>
    public TimeSpan PassivateAfter { get; init; } = TimeSpan.FromSeconds(20);

    public Topology Topology { get; init; } = Topology.Cluster;

    /// <summary>Where the JSON report goes.</summary>
    public string JsonPath { get; init; } = Path.Combine("TestResults", "bench-results.json");

    /// <summary>Akka and emulator warnings on the console.</summary>
    public bool Verbose { get; init; }

    /// <summary>Durable scenarios and the recovery probe wire SQLite as before the busy-timeout/WAL fix (before/after figures).</summary>
    public bool SqliteAsBefore { get; init; }

    /// <summary>
    /// iotactors-memory journals every message (<c>DeviceStateWrites.EveryMessage</c>, as before round 3) instead of
    /// writing state when a device stops, as the host runs the in-memory store (before/after figures).
    /// </summary>
    public bool MemoryEveryMessage { get; init; }

    /// <summary>SQLite's synchronous setting for iotactors-durable (Full, as the host defaults, or Normal).</summary>
    public SqliteSynchronous SqliteSynchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>
    /// iotactors-durable and the recovery probe write through Akka.Persistence.Sql's own write path instead of the
    /// group commit the host uses (before/after figures).
    /// </summary>
    public bool SqlitePluginWrites { get; init; }

    /// <summary>SQLite's write-ahead log size before a checkpoint, in pages (the host's default unless the run asks otherwise).</summary>
    public int SqliteCheckpointPages { get; init; } = DevicePersistenceOptions.DefaultSqliteCheckpointPages;

    /// <summary>
    /// iotactors-durable's warm-up lasts until its devices have been through this many snapshot cycles (each device
    /// <c>DeviceOptions.SnapshotEvery</c> messages: a snapshot and the deletion of the events it covers), so that the
    /// saturated window — and the paced window at a fraction of its rate — measure the rate a durable node sustains,
    /// not the first seconds of an empty store. 0 = only <see cref="Warmup"/>. <b>Default:</b> 2 (the first snapshots of
    /// an even load come together; by the second cycle they have spread out).
    /// </summary>
    public double DurableSnapshotCycles { get; init; } = 2;

    /// <summary>Longest durable warm-up; the report says when it ended before <see cref="DurableSnapshotCycles"/>.</summary>
    public TimeSpan DurableWarmupLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fleets larger than this warm up by time alone (a snapshot cycle of 100k devices is 10M messages): their durable
    /// warm-up is <see cref="Warmup"/>, after their devices were incarnated (unless <see cref="ColdFleet"/>).
    /// </summary>
    public const int DurableCyclesMaxDevices = 10_000;

    /// <summary>Messages iotactors-durable accepts before its measured window on <paramref name="cell"/>; 0 = <see cref="Warmup"/> only.</summary>
    public long DurableWarmupMessages(BenchCell cell, int snapshotEvery) =>
        DurableSnapshotCycles <= 0 || cell.Devices > DurableCyclesMaxDevices ? 0 : (long)Math.Ceiling(DurableSnapshotCycles * cell.Devices * snapshotEvery);

    /// <summary>iotactors-durable keeps its events after snapshots (<c>DeviceOptions.DeleteEventsOnSnapshot = false</c>).</summary>
    public bool KeepEvents { get; init; }

    /// <summary>
    /// The pipeline's devices snapshot every this many messages (<c>Devices:SnapshotEvery</c>); null: the host's default.
    /// The durable warm-up's snapshot cycles are counted in it.
    /// </summary>
    public int? SnapshotEvery { get; init; }

    /// <summary>The pipeline's devices remember this many messageIds (<c>Devices:DedupeWindow</c>); null: the host's default.</summary>
    public int? DedupeWindow { get; init; }

    /// <summary>The devices' options as the pipeline scenarios run them: the host's defaults, with this run's changes.</summary>
    public DeviceOptions PipelineDeviceOptions()
    {
        var options = new DeviceOptions();
        if (SnapshotEvery is { } every) options.SnapshotEvery = every;
        if (DedupeWindow is { } window) options.DedupeWindow = window;
        return options;
    }

    /// <summary>iotactors-durable's devices snapshot at multiples of SnapshotEvery, as before round 7 (before/after figures).</summary>
    public bool UnspreadSnapshots { get; init; }

    /// <summary>iotactors-durable's SQLite log is checkpointed by the writer alone, as before round 7 (before/after figures).</summary>
    public bool SqliteWriterCheckpoints { get; init; }

    /// <summary>
    /// The pipeline scenarios meet their devices for the first time in the window (an actor and a recovery per device),
    /// as after a restart or a rebalance; by default every device of the cell is incarnated before the consumer connects
    /// and then sent one message (every scenario, the ceiling too, gets those first messages before its warm-up), so the
    /// window measures the fleet in steady state.
    /// </summary>
    public bool ColdFleet { get; init; }

    public static readonly BenchCell BaseCell = new(1, 1_000, 100, 200);

    /// <summary>
    /// The default matrix: each axis varied alone around <see cref="BaseCell"/>, plus a large fleet (100k devices) over
    /// 8 connections. Not the full product of the axes (3 × 3 × 3 × 2 = 54 cells
    /// would take hours on 2 cores); select axes on the command line for more.
    /// </summary>
    public static readonly IReadOnlyList<BenchCell> DefaultMatrix =
    [
        BaseCell,
        BaseCell with { Credit = 20 },
        BaseCell with { Credit = 1_000 },
        BaseCell with { Connections = 8 },
        BaseCell with { Connections = 64 },
        BaseCell with { BodyBytes = 2_048 },
        BaseCell with { Connections = 8, Devices = 100_000 },
    ];

    public static BenchSettings QuickSettings(BenchSettings given) => new()
    {
        Quick = true,
        ScenarioList = given.ScenarioList,
        Cells = [BaseCell with { Devices = 200 }],
        Warmup = TimeSpan.FromSeconds(1),
        DurableSnapshotCycles = 0,
        Measure = TimeSpan.FromSeconds(1.5),
        Paced = TimeSpan.FromSeconds(1),
        LatencyLoad = given.LatencyLoad,
        MemoryDevices = [1_000],
        RecoveryDevices = 100,
        // Longer than incarnating the devices takes, so all are resident when measured.
        PassivateAfter = TimeSpan.FromSeconds(3),
        Topology = given.Topology,
        JsonPath = given.JsonPath,
        Verbose = given.Verbose,
    };

    public const string Usage = """
        iotactors-bench: throughput, latency and memory of the IotActors pipeline against the transport's ceiling,
        every scenario against the same in-process IoT Platform emulator (loopback, TLS) in one run.

        Options:
          --quick                     one small cell, all scenarios, small probes; under a minute (CI smoke)
          --scenarios LIST            ceiling,vendor-sample,akka-floor,iotactors-memory,akka-persist-floor,iotactors-durable
                                      (default: all six; akka-floor / akka-persist-floor = bare links and a sharded entity
                                      per device that only answers / first journals the body to SQLite: Akka's floor
                                      under iotactors-memory / -durable; also: adapter = IotActors.Platform's
                                      AmqpReceiver accepting in its callback; none = only the memory and recovery probes)
          --connections LIST          e.g. 1,8,64        \
          --devices LIST              e.g. 1000,100000    | any of these: run the product of the given axes, the
          --credit LIST               e.g. 20,100,1000    | others at 1 connection, 1000 devices, credit 100, 200 B;
          --body LIST                 bytes, e.g. 200,2048/  none: the default matrix (each axis varied alone)
          --warmup SECONDS            saturated warm-up per scenario (default 2)
          --durable-cycles N          iotactors-durable warms up until its devices went through N snapshot cycles (default 2,
                                      within 60 s; fleets over 10k devices: --warmup only; 0 = --warmup only; --quick: 0)
          --measure SECONDS           saturated measured window (default 8)
          --repeat N                  run each cell's scenarios N times, every other time in reverse order; ratios to the
                                      same repetition's ceiling, targets judged on each cell's median (default 1)
          --paced SECONDS             window at --load x the sustained rate, for latency (default 4)
          --load FRACTION             offered load of the paced window (default 0.8)
          --memory-devices LIST       idle resident device actors (default 20000,100000; the first checks passivation; 0 = skip),
                              each count beside Akka's floor: as many empty sharded actors, persistent and not
          --recovery-devices N        devices to write and recover from SQLite after a restart (default 2000; 0 = skip)
          --passivate-after SECONDS   idle time before passivation in the passivation check (default 20; 0 = no check)
          --topology cluster|local    device region as the host runs it (cluster of one, sharding) or the local router
          --json PATH                 JSON report (default TestResults/bench-results.json, git-ignored)
          --verbose                   Akka and emulator warnings on the console
          --sqlite-as-before          wire SQLite as before the busy-timeout/WAL fix (for before/after figures)
          --memory-every-message      iotactors-memory journals every message, as before round 3 (before/after figures)
          --sqlite-synchronous MODE   full (default, as the host) or normal: iotactors-durable's commits do not wait for the disk
          --sqlite-plugin-writes      SQLite events written by Akka.Persistence.Sql's own path, not by group commit (before/after figures)
          --keep-events               iotactors-durable keeps its events after snapshots (Devices:DeleteEventsOnSnapshot=false)
          --snapshot-every N          the pipeline's devices snapshot every N messages (Devices:SnapshotEvery; default as the host, 100)
          --dedupe-window N           the pipeline's devices remember N messageIds (Devices:DedupeWindow; default as the host, 1000)
          --unspread-snapshots        iotactors-durable's devices snapshot together, at multiples of SnapshotEvery (before/after figures)
          --sqlite-writer-checkpoints iotactors-durable's log is checkpointed by the writer alone, no background checkpoints (before/after)
          --sqlite-checkpoint-pages N pages of write-ahead log before SQLite checkpoints (default 65536, as the host; SQLite's own: 1000)
          --cold-fleet                iotactors-* meet every device for the first time in the window (default: the cell's devices
                                      are incarnated before the consumer connects and each is sent one message before the
                                      warm-up, so the window measures a resident fleet in steady state)
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        IReadOnlyList<string> scenarios = AllScenarios;
        List<int>? connections = null, devices = null, credit = null, body = null;
        var result = new BenchSettings();
        var warmup = result.Warmup;
        var durableCycles = result.DurableSnapshotCycles;
        var measure = result.Measure;
        var paced = result.Paced;
        var load = result.LatencyLoad;
        var repetitions = result.Repetitions;
        var memory = result.MemoryDevices;
        var recovery = result.RecoveryDevices;
        var passivate = result.PassivateAfter;
        var topology = result.Topology;
        var json = result.JsonPath;
        var verbose = false;
        var sqliteAsBefore = false;
        var memoryEveryMessage = false;
        var sqliteSynchronous = SqliteSynchronous.Full;
        var sqlitePluginWrites = false;
        var keepEvents = false;
        int? snapshotEvery = null, dedupeWindow = null;
        var unspreadSnapshots = false;
        var writerCheckpoints = false;
        var coldFleet = false;
        var sqliteCheckpointPages = DevicePersistenceOptions.DefaultSqliteCheckpointPages;
        bool warmupSet = false, cyclesSet = false, measureSet = false, pacedSet = false, memorySet = false, recoverySet = false, passivateSet = false;

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--quick": quick = true; break;
                case "--verbose": verbose = true; break;
                case "--sqlite-as-before": sqliteAsBefore = true; break;
                case "--memory-every-message": memoryEveryMessage = true; break;
                case "--sqlite-plugin-writes": sqlitePluginWrites = true; break;
                case "--keep-events": keepEvents = true; break;
                case "--snapshot-every": snapshotEvery = One(name, Ints(name, Value(), 1, 100_000)); break;
                case "--dedupe-window": dedupeWindow = One(name, Ints(name, Value(), 1, 100_000)); break;
                case "--unspread-snapshots": unspreadSnapshots = true; break;
                case "--sqlite-writer-checkpoints": writerCheckpoints = true; break;
                case "--cold-fleet": coldFleet = true; break;
                case "--sqlite-checkpoint-pages":
                    var pages = Value();
                    if (!int.TryParse(pages, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sqliteCheckpointPages) || sqliteCheckpointPages < 1)
                        throw new ArgumentException($"--sqlite-checkpoint-pages is '{pages}'; allowed a whole number from 1.");
                    break;
                case "--sqlite-synchronous":
                    sqliteSynchronous = Value() switch
                    {
                        "full" => SqliteSynchronous.Full,
                        "normal" => SqliteSynchronous.Normal,
                        var other => throw new ArgumentException($"--sqlite-synchronous is '{other}'; allowed full or normal."),
                    };
                    break;
                case "--scenarios": scenarios = Names(name, Value()); break;
                case "--connections": connections = Ints(name, Value(), 1, 128); break;
                case "--devices": devices = Ints(name, Value(), 1, 10_000_000); break;
                case "--credit": credit = Ints(name, Value(), 1, 10_000); break;
                case "--body": body = Ints(name, Value(), 180, 256 * 1024); break;
                case "--warmup": warmup = Seconds(name, Value(), 0); warmupSet = true; break;
                case "--durable-cycles": durableCycles = Cycles(name, Value()); cyclesSet = true; break;
                case "--measure": measure = Seconds(name, Value(), 0.5); measureSet = true; break;
                case "--paced": paced = Seconds(name, Value(), 0); pacedSet = true; break;
                case "--load": load = Fraction(name, Value()); break;
                case "--repeat": repetitions = One(name, Ints(name, Value(), 1, 20)); break;
                case "--memory-devices": memory = Ints(name, Value(), 0, 10_000_000).Where(n => n > 0).ToList(); memorySet = true; break;
                case "--recovery-devices": recovery = Ints(name, Value(), 0, 10_000_000)[0]; recoverySet = true; break;
                case "--passivate-after": passivate = Seconds(name, Value(), 0); passivateSet = true; break;
                case "--topology":
                    topology = Value() switch
                    {
                        "cluster" => Topology.Cluster,
                        "local" => Topology.Local,
                        var other => throw new ArgumentException($"--topology is '{other}'; allowed cluster or local."),
                    };
                    break;
                case "--json": json = Value(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        var axesGiven = connections is not null || devices is not null || credit is not null || body is not null;
        var cells = scenarios.Count == 0 ? [] : axesGiven
            ? (from c in connections ?? [BaseCell.Connections]
               from d in devices ?? [BaseCell.Devices]
               from cr in credit ?? [BaseCell.Credit]
               from b in body ?? [BaseCell.BodyBytes]
               select new BenchCell(c, d, cr, b)).ToList()
            : DefaultMatrix;

        var given = new BenchSettings
        {
            ScenarioList = scenarios,
            Cells = cells,
            Warmup = warmup,
            DurableSnapshotCycles = durableCycles,
            Measure = measure,
            Paced = paced,
            LatencyLoad = load,
            Repetitions = repetitions,
            MemoryDevices = memory,
            RecoveryDevices = recovery,
            PassivateAfter = passivate,
            Topology = topology,
            JsonPath = json,
            Verbose = verbose,
            SqliteAsBefore = sqliteAsBefore,
            MemoryEveryMessage = memoryEveryMessage,
            SqliteSynchronous = sqliteSynchronous,
            SqlitePluginWrites = sqlitePluginWrites,
            SqliteCheckpointPages = sqliteCheckpointPages,
            KeepEvents = keepEvents,
            SnapshotEvery = snapshotEvery,
            DedupeWindow = dedupeWindow,
            UnspreadSnapshots = unspreadSnapshots,
            SqliteWriterCheckpoints = writerCheckpoints,
            ColdFleet = coldFleet,
        };
        if (!quick) return given;

        // --quick sets small defaults; explicit options still win.
        var q = QuickSettings(given);
        return new BenchSettings
        {
            Quick = true,
            ScenarioList = q.ScenarioList,
            Cells = axesGiven || scenarios.Count == 0 ? cells : q.Cells,
            Warmup = warmupSet ? warmup : q.Warmup,
            DurableSnapshotCycles = cyclesSet ? durableCycles : q.DurableSnapshotCycles,
            Measure = measureSet ? measure : q.Measure,
            Paced = pacedSet ? paced : q.Paced,
            LatencyLoad = load,
            Repetitions = repetitions,
            MemoryDevices = memorySet ? memory : q.MemoryDevices,
            RecoveryDevices = recoverySet ? recovery : q.RecoveryDevices,
            PassivateAfter = passivateSet ? passivate : q.PassivateAfter,
            Topology = topology,
            JsonPath = json,
            Verbose = verbose,
            SqliteAsBefore = sqliteAsBefore,
            MemoryEveryMessage = memoryEveryMessage,
            SqliteSynchronous = sqliteSynchronous,
            SqlitePluginWrites = sqlitePluginWrites,
            SqliteCheckpointPages = sqliteCheckpointPages,
            KeepEvents = keepEvents,
            SnapshotEvery = snapshotEvery,
            DedupeWindow = dedupeWindow,
            UnspreadSnapshots = unspreadSnapshots,
            SqliteWriterCheckpoints = writerCheckpoints,
            ColdFleet = coldFleet,
        };
    }

    private static List<string> Names(string option, string value)
    {
        if (value == "none") return [];
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var n in names)
        {
            if (!ScenarioNames.Known.Contains(n))
                throw new ArgumentException($"{option}: unknown scenario '{n}'; known: {string.Join(", ", ScenarioNames.Known)}.");
        }
        if (names.Count == 0) throw new ArgumentException($"{option} needs at least one scenario.");
        return names.Distinct().ToList();
    }

    private static List<int> Ints(string option, string value, int min, int max)
    {
        var list = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var text = part.ToLowerInvariant();
            var factor = text.EndsWith('k') ? 1_000 : text.EndsWith('m') ? 1_000_000 : 1;
            if (factor != 1) text = text[..^1];
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || (long)n * factor < min || (long)n * factor > max)
                throw new ArgumentException($"{option}: '{part}' is not a whole number between {min} and {max}.");
            list.Add(n * factor);
        }
        if (list.Count == 0) throw new ArgumentException($"{option} needs at least one value.");
        return list;
    }

    private static int One(string option, List<int> values) =>
        values.Count == 1 ? values[0] : throw new ArgumentException($"{option} takes one number, not a list.");

    private static TimeSpan Seconds(string option, string value, double min)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s < min || s > 3600)
            throw new ArgumentException($"{option}: '{value}' is not a number of seconds between {min} and 3600.");
        return TimeSpan.FromSeconds(s);
    }

    private static double Cycles(string option, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || n > 100)
            throw new ArgumentException($"{option}: '{value}' is not a number of snapshot cycles between 0 and 100.");
        return n;
    }

    private static double Fraction(string option, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || f <= 0 || f > 1)
            throw new ArgumentException($"{option}: '{value}' is not a fraction above 0 and at most 1.");
        return f;
    }
}
