using IotActors.Bench.Measurement;

namespace IotActors.Bench.Reporting;

/// <summary>What one scenario measured on one cell. Ratios are filled in against the same cell's ceiling.</summary>
public sealed record ScenarioResult
{
    public required string Scenario { get; init; }
    public required BenchCell Cell { get; init; }

    /// <summary>Which run of the cell this is (1 … <c>--repeat</c>); its ratios are to the ceiling of the same repetition.</summary>
    public int Repetition { get; init; } = 1;

    /// <summary>Connections this scenario really opened (the vendor sample opens one).</summary>
    public int Connections { get; init; }

    /// <summary>
    /// Messages accepted while every device of the cell got its first one, before the warm-up (the cell's device count;
    /// 0 with <c>--cold-fleet</c>).
    /// </summary>
    public long PrimedMessages { get; init; }

    /// <summary>How long those first messages took.</summary>
    public double PrimeSeconds { get; init; }

    /// <summary>Saturated warm-up before the measured window (iotactors-durable: until its snapshot cycles, see BenchSettings).</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>How iotactors-durable's warm-up ended (its snapshot cycles, or the limit); null for the other scenarios.</summary>
    public string? WarmupNote { get; init; }

    /// <summary>Accepted deliveries per second in the saturated window (the emulator's count of dispositions).</summary>
    public double MessagesPerSecond { get; init; }
    public long MessagesMeasured { get; init; }
    public double MeasuredSeconds { get; init; }

    /// <summary>Receive-to-accept latency with the queue kept full (bounded by credit).</summary>
    public LatencySummary? Saturated { get; init; }

    /// <summary>Receive-to-accept latency at <see cref="PacedOfferedPerSecond"/> (the load fraction of the sustained rate).</summary>
    public LatencySummary? Paced { get; init; }
    public double PacedOfferedPerSecond { get; init; }
    public double PacedAcceptedPerSecond { get; init; }

    /// <summary>Process CPU seconds (emulator and producer included) per 100,000 accepted messages.</summary>
    public double CpuSecondsPer100k { get; init; }

    /// <summary>Bytes allocated in the process (emulator and producer included) per accepted message.</summary>
    public double AllocatedBytesPerMessage { get; init; }

    /// <summary>The collector in the saturated window (whole process).</summary>
    public GcActivity? SaturatedGc { get; init; }

    /// <summary>The collector in the paced window (whole process).</summary>
    public GcActivity? PacedGc { get; init; }

    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();

    public double? ThroughputVsCeiling { get; init; }
    public double? CpuVsCeiling { get; init; }
    public double? PacedP99VsCeiling { get; init; }

    /// <summary>Set when the scenario could not be measured; the figures are then zero.</summary>
    public string? Error { get; init; }
}

/// <summary>Idle resident device actors: managed memory per device, and what passivation gives back.</summary>
public sealed record MemoryResult
{
    public int Devices { get; init; }
    public required string Topology { get; init; }
    public double IncarnateSeconds { get; init; }
    public double DevicesPerSecond { get; init; }

    /// <summary>Managed heap growth per device between a tenth of the devices and all of them (fixed costs excluded).</summary>
    public double BytesPerDevice { get; init; }

    /// <summary>Managed heap before the first device (the node started, the region empty).</summary>
    public long HeapBeforeBytes { get; init; }
    public long ManagedHeapBytes { get; init; }
    public long WorkingSetBytes { get; init; }
    public long DevicesAliveAtMeasure { get; init; }

    /// <summary>
    /// Passivation check: heap returned once every device passivated, as a share of <see cref="BytesPerDevice"/> × devices;
    /// null when not checked.
    /// </summary>
    public double? PassivationReturnedFraction { get; init; }
    public double? PassivationSeconds { get; init; }
    public long? DevicesAliveAfterPassivation { get; init; }
    public string? Error { get; init; }
}

/// <summary>Durable state: writing one message to each of N devices, then a restart and the time until all N answered.</summary>
public sealed record RecoveryResult
{
    public int Devices { get; init; }
    public double WriteSeconds { get; init; }
    public double WritesPerSecond { get; init; }
    public double BytesPerDeviceWithState { get; init; }
    public double RestartSeconds { get; init; }
    public double RecoverSeconds { get; init; }
    public double RecoveredPerSecond { get; init; }
    public int WrongState { get; init; }
    public string? Error { get; init; }
}

/// <summary>The messageId window of one device, full, as DeviceOptions.DedupeWindow sizes it.</summary>
public sealed record DedupeCost(int Entries, double BytesPerWindow, double BytesPerEntry);

/// <summary>One target of the issue: met, missed, or not measured in this run, with the figure that decided it.</summary>
public sealed record TargetCheck(string Target, string Verdict, string Evidence);

public sealed record MachineInfo(int ProcessorCount, string Os, string Runtime, bool ServerGc, bool ConcurrentGc, string StartedUtc);

public sealed record BenchReport
{
    public required MachineInfo Machine { get; init; }
    public required string CommandLine { get; init; }
    public bool Quick { get; init; }
    public required string Topology { get; init; }

    /// <summary>SQLite wired as before the busy-timeout/WAL fix (a before/after run).</summary>
    public bool SqliteAsBefore { get; init; }

    /// <summary>iotactors-memory journaled every message (a before/after run).</summary>
    public bool MemoryEveryMessage { get; init; }

    /// <summary>SQLite's synchronous setting in iotactors-durable ("Full" unless the run asked for "Normal").</summary>
    public string SqliteSynchronous { get; init; } = "Full";

    /// <summary>Whether SQLite events were written by group commit (the host's default) or by Akka.Persistence.Sql's own path.</summary>
    public bool SqliteGroupCommit { get; init; } = true;

    /// <summary>SQLite's write-ahead log pages before a checkpoint in iotactors-durable and the recovery probe.</summary>
    public int SqliteCheckpointPages { get; init; }

    /// <summary>iotactors-durable kept its events after snapshots (a before/after run; the host deletes them by default).</summary>
    public bool KeepEvents { get; init; }

    /// <summary>Messages between a pipeline device's snapshots (<c>Devices:SnapshotEvery</c>) in this run.</summary>
    public int SnapshotEvery { get; init; }

    /// <summary>MessageIds a pipeline device remembered (<c>Devices:DedupeWindow</c>) in this run.</summary>
    public int DedupeWindow { get; init; }

    /// <summary>iotactors-durable's devices snapshotted at a phase of their own (the default) or all at multiples of SnapshotEvery.</summary>
    public bool SpreadSnapshots { get; init; } = true;

    /// <summary>iotactors-durable's SQLite log had background checkpoints (the default) or only the writer's.</summary>
    public bool SqliteBackgroundCheckpoints { get; init; } = true;

    /// <summary>The pipeline scenarios met their devices for the first time in the window (<c>--cold-fleet</c>).</summary>
    public bool ColdFleet { get; init; }
    public double WarmupSeconds { get; init; }

    /// <summary>Snapshot cycles iotactors-durable warmed up through (0: <see cref="WarmupSeconds"/> only).</summary>
    public double DurableSnapshotCycles { get; init; }
    public double MeasureSeconds { get; init; }
    public double PacedSeconds { get; init; }
    public double LatencyLoad { get; init; }

    /// <summary>Runs of each cell (<c>--repeat</c>); the targets are judged on <see cref="Summaries"/>, each cell's median.</summary>
    public int Repetitions { get; init; } = 1;
    public List<ScenarioResult> Results { get; init; } = [];

    /// <summary>Per cell and scenario, the median over its repetitions (with one repetition, that repetition's figures).</summary>
    public List<CellSummary> Summaries { get; init; } = [];
    public List<MemoryResult> Memory { get; init; } = [];

    /// <summary>Akka's floor beside each memory probe (cluster topology).</summary>
    public List<FloorResult> Floors { get; init; } = [];
    public RecoveryResult? Recovery { get; init; }
    public DedupeCost? Dedupe { get; init; }
    public List<TargetCheck> Targets { get; set; } = [];
    public double TotalSeconds { get; set; }
    public string LoadAverageAtStart { get; set; } = "";
    public string LoadAverageAtEnd { get; set; } = "";
}

/// <summary>Akka's floor beside the idle devices: an idle sharded actor that holds nothing, persistent or not.</summary>
public sealed record FloorResult
{
    public int Actors { get; init; }

    /// <summary>Managed heap growth per empty sharded actor (between a tenth of the actors and all of them).</summary>
    public double EmptyActorBytes { get; init; }

    /// <summary>The same for an empty persistent actor (Akka.Persistence's <c>Eventsourced</c> on top).</summary>
    public double PersistentActorBytes { get; init; }

    public string? Error { get; init; }
}
