using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using IotActors.Actors.Devices;
using IotActors.Actors.Persistence;
using IotActors.Actors.Persistence.Sqlite;
using IotActors.Actors.Tests.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Tests.Persistence.Sqlite;

/// <summary>
/// The group-commit journal and snapshot store as the host wires them, against the plugin's own write path: the same
/// rows in the same tables, each reading what the other wrote.
/// </summary>
public sealed class SqliteGroupCommitJournalTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iotactors-groupcommit-" + Guid.NewGuid().ToString("N")[..12]);

    private DevicePersistenceOptions Store(bool groupCommit) =>
        new() { Provider = DevicePersistenceProvider.Sqlite, DataDirectory = _directory, SqliteGroupCommit = groupCommit };

    private static DeviceId NewDevice() => new("a1Bc", "dev-" + Guid.NewGuid().ToString("N")[..10]);

    private static async Task Apply(IActorRef device, DeviceId id, int from, int to)
    {
        for (var i = from; i <= to; i++)
            Assert.Equal(ProcessOutcome.Applied, (await device.Ask<Processed>(TestDevices.Envelope(id, $"m{i}", i), Timeout)).Outcome);
    }

    private static async Task<long> MessagesApplied(IActorRef device, DeviceId id) =>
        (await device.Ask<DeviceStateReply>(new GetDeviceState(id), Timeout)).MessagesApplied;

    [Theory]
    [InlineData(true, typeof(GroupCommitSqliteJournal), typeof(GroupCommitSqliteSnapshotStore))]
    [InlineData(false, typeof(GuardedSqlWriteJournal), typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore))]
    public async Task Group_commit_is_the_default_and_can_be_turned_off(bool groupCommit, Type journal, Type snapshotStore)
    {
        await using var node = await DeviceNode.StartAsync(Store(groupCommit));
        var config = node.System.Settings.Config;

        Assert.Equal(journal, Type.GetType(config.GetString("akka.persistence.journal.sql.class"), throwOnError: true));
        Assert.Equal(snapshotStore, Type.GetType(config.GetString("akka.persistence.snapshot-store.sql.class"), throwOnError: true));
        Assert.True(new DevicePersistenceOptions().SqliteGroupCommit);
    }

    [Fact]
    public async Task The_writer_opens_its_connection_with_the_chosen_checkpoint_size()
    {
        var options = Store(groupCommit: true);
        options.SqliteCheckpointPages = 4321;
        await using var node = await DeviceNode.StartAsync(options);

        // The setup is what the writer runs on every connection it opens (SqliteGroupCommitWriterTests shows the pragma's effect).
        Assert.True(node.System.Settings.Setup.Get<SqliteJournalSetup>().HasValue);
        var setup = node.System.Settings.Setup.Get<SqliteJournalSetup>().Value;
        Assert.Contains("PRAGMA wal_autocheckpoint = 4321;", setup.OnOpen);
    }

    [Fact]
    public async Task The_writers_connection_has_the_chosen_page_cache_and_the_read_connections_sqlites_default()
    {
        var options = Store(groupCommit: true);
        options.SqliteWriterCacheMiB = 96;
        await using var node = await DeviceNode.StartAsync(options);
        var sqlite = SqliteWriterExtension.For(node.System);

        var probe = new CacheSizeJob();
        await sqlite.Writer.Submit(probe).WaitAsync(Timeout);
        Assert.Equal(-96L * 1024, probe.CacheSize); // negative: KiB
        Assert.Equal(-2000L, sqlite.Readers.Read(statements => (long)statements.Get("PRAGMA cache_size", static _ => { }).ExecuteScalar()!));
    }

    /// <summary>Reads the page cache of the connection the writer runs it on.</summary>
    private sealed class CacheSizeJob : SqliteWriteJob
    {
        public long CacheSize { get; private set; }

        public override int Rows => 1;

        public override void Execute(SqliteStatements statements) =>
            CacheSize = (long)statements.Get("PRAGMA cache_size", static _ => { }).ExecuteScalar()!;
    }

    [Theory]
    [InlineData(true, "journal_uq,snapshot_created_idx,snapshot_sequence_number_idx,tags_persistence_id_sequence_nr_idx,tags_tag_idx")]
    [InlineData(false, "journal_created_idx,journal_sequence_number_idx,journal_uq,snapshot_created_idx,snapshot_sequence_number_idx,tags_persistence_id_sequence_nr_idx,tags_tag_idx")]
    public async Task The_sqlite_file_has_the_journal_and_snapshot_indexes(bool groupCommit, string expected)
    {
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit)))
        {
            var device = NewDevice();
            await Apply(node.Twin(device), device, 1, 1);
        }

        // Without the unique index every replay scans the journal and a duplicate sequence number is not refused. The
        // group-commit journal makes the tables without the plugin's indexes on created and on sequence number alone,
        // which no query reads (SqliteJournalSchema).
        Assert.Equal(expected, Indexes());
    }

    [Fact]
    public async Task The_group_commit_journal_makes_the_plugins_tables_and_drops_only_the_two_unread_indexes_of_a_file_the_plugin_made()
    {
        // The plugin's own tables first (group commit off), as an older file or the other write path has them.
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: false)))
        {
            var device = NewDevice();
            await Apply(node.Twin(device), device, 1, 1);
        }
        var plugins = Schema();
        var pluginsIndexes = Indexes();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);

        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
        {
            var device = NewDevice();
            await Apply(node.Twin(device), device, 1, 1);
        }
        // Same columns (name, type, not null, key) and the same unique and tag indexes, key columns in order.
        Assert.Equal(plugins, Schema());
        Assert.Equal(pluginsIndexes.Replace("journal_created_idx,journal_sequence_number_idx,", ""), Indexes());

        // A file the plugin made loses the two indexes on the group-commit journal's start, and the plugin does not
        // make them again on the next start.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: false)))
        {
            var device = NewDevice();
            await Apply(node.Twin(device), device, 1, 1);
        }
        for (var start = 0; start < 2; start++)
        {
            await using var node = await DeviceNode.StartAsync(Store(groupCommit: true));
            var device = NewDevice();
            await Apply(node.Twin(device), device, 1, 1);
            Assert.Equal(pluginsIndexes.Replace("journal_created_idx,journal_sequence_number_idx,", ""), Indexes());
        }
    }

    /// <summary>The journal's and tag table's columns and the columns of each of their indexes, as SQLite reports them.</summary>
    private string Schema() =>
        Query("SELECT m.name || '.' || c.name || ':' || lower(c.type) || ':' || c.\"notnull\" || ':' || c.pk FROM sqlite_master m, pragma_table_info(m.name) c " +
            "WHERE m.type = 'table' AND m.name IN ('journal', 'tags') AND $pid = $pid ORDER BY m.name, c.cid", "") + " | " +
        Query("SELECT i.name || ':' || i.\"unique\" || ':' || (SELECT group_concat(k.name) FROM pragma_index_info(i.name) k) FROM sqlite_master m, pragma_index_list(m.name) i " +
            "WHERE m.type = 'table' AND m.name IN ('journal', 'tags') AND i.name NOT IN ('journal_created_idx', 'journal_sequence_number_idx') AND $pid = $pid ORDER BY i.name", "");

    private string Indexes() =>
        Query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND $pid = $pid ORDER BY name", "");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Events_snapshots_and_deletions_leave_the_rows_the_plugin_leaves(bool groupCommit)
    {
        var device = NewDevice();
        await using var node = await DeviceNode.StartAsync(Store(groupCommit));
        var actor = node.Twin(device, new DeviceOptions { SnapshotEvery = 100, SpreadSnapshots = false });

        await Apply(actor, device, 1, 250);

        // Snapshots at 100 and 200, each followed by deleting the events and snapshots before it: what is left is
        // the highest deleted event (kept, marked, so that the highest sequence number stays readable), the events
        // after it and the newest snapshot — for either write path.
        var pid = DeviceActor<DeviceTwin>.PersistenceIdOf(device);
        node.Probe().AwaitAssert(() =>
        {
            Assert.Equal("199:1," + string.Join(",", Enumerable.Range(200, 51).Select(n => $"{n}:0")), Query(
                "SELECT sequence_number || ':' || deleted FROM journal WHERE persistence_id = $pid ORDER BY sequence_number", pid));
            Assert.Equal("200", Query("SELECT sequence_number FROM snapshot WHERE persistence_id = $pid ORDER BY sequence_number", pid));
        }, Timeout);
    }

    [Fact]
    public async Task Spread_snapshots_fall_at_the_devices_own_phase_and_recovery_replays_at_most_snapshot_every_events()
    {
        // A device whose phase is 1–4: its snapshots fall at 6–9, 16–19 and 26–29, not at multiples of 10, and 25 events
        // take it past exactly two of them.
        var device = Enumerable.Range(0, 200).Select(_ => NewDevice())
            .First(d => SnapshotSchedule.For(DeviceActor<DeviceTwin>.PersistenceIdOf(d), 10, spread: true).Phase is > 0 and < 5);
        var pid = DeviceActor<DeviceTwin>.PersistenceIdOf(device);
        var phase = SnapshotSchedule.For(pid, 10, spread: true).Phase;
        var options = new DeviceOptions { SnapshotEvery = 10 };
        Assert.True(options.SpreadSnapshots);

        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
        {
            await Apply(node.Twin(device, options), device, 1, 25);
            // Snapshots where sequence number + phase is a multiple of 10: 10 - phase, 20 - phase; the newest is kept.
            node.Probe().AwaitAssert(() => Assert.Equal($"{20 - phase}", Query("SELECT sequence_number FROM snapshot WHERE persistence_id = $pid", pid)), Timeout);
        }

        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
        {
            var probe = node.Probe();
            node.System.EventStream.Subscribe(probe.Ref, typeof(DeviceRecovered));
            var actor = node.Twin(device, options);
            var recovered = probe.FishForMessage<DeviceRecovered>(r => r.Device == device, Timeout);
            Assert.Equal((20L - phase, 5L + phase), (recovered.SnapshotSequenceNr, recovered.EventsReplayed));
            Assert.Equal(25, await MessagesApplied(actor, device));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Events_can_be_kept_after_snapshots_and_recovery_still_starts_at_the_newest_snapshot(bool groupCommit)
    {
        var device = NewDevice();
        var pid = DeviceActor<DeviceTwin>.PersistenceIdOf(device);
        var options = new DeviceOptions { SnapshotEvery = 10, SpreadSnapshots = false, DeleteEventsOnSnapshot = false };
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit)))
        {
            await Apply(node.Twin(device, options), device, 1, 25);
            // Old snapshots still go; every event stays, none marked deleted.
            node.Probe().AwaitAssert(() => Assert.Equal("20", Query("SELECT sequence_number FROM snapshot WHERE persistence_id = $pid", pid)), Timeout);
            Assert.Equal(string.Join(",", Enumerable.Range(1, 25).Select(n => $"{n}:0")), Query(
                "SELECT sequence_number || ':' || deleted FROM journal WHERE persistence_id = $pid ORDER BY sequence_number", pid));
        }

        await using (var node = await DeviceNode.StartAsync(Store(groupCommit)))
        {
            var probe = node.Probe();
            node.System.EventStream.Subscribe(probe.Ref, typeof(DeviceRecovered));
            var actor = node.Twin(device, options);
            var recovered = probe.FishForMessage<DeviceRecovered>(r => r.Device == device, Timeout);
            Assert.Equal((20L, 5L), (recovered.SnapshotSequenceNr, recovered.EventsReplayed));
            Assert.Equal(25, await MessagesApplied(actor, device));
        }
    }

    [Fact]
    public async Task A_file_written_by_either_path_is_recovered_by_the_other()
    {
        var device = NewDevice();
        var options = new DeviceOptions { SnapshotEvery = 10 };
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
            await Apply(node.Twin(device, options), device, 1, 25);

        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: false)))
        {
            var actor = node.Twin(device, options);
            Assert.Equal(25, await MessagesApplied(actor, device));
            await Apply(actor, device, 26, 37);
        }

        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
        {
            var actor = node.Twin(device, options);
            Assert.Equal(37, await MessagesApplied(actor, device));
            // Sequence numbers continue where the other path left them: a clash would fail this write.
            await Apply(actor, device, 38, 38);
            Assert.Equal(38, await MessagesApplied(actor, device));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_device_recovers_while_another_connection_holds_the_write_lock(bool groupCommit)
    {
        var device = NewDevice();
        var options = new DeviceOptions { SnapshotEvery = 10 };
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit)))
            await Apply(node.Twin(device, options), device, 1, 15);

        await using (var node = await DeviceNode.StartAsync(Store(groupCommit)))
        {
            // The write lock is what a commit of the writer (or of another process) holds. Recovery only reads: in WAL
            // mode it must not wait for that lock (a read begun IMMEDIATE would, and fail after the busy timeout).
            using var blocker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, DevicePersistenceOptions.SqliteFileName) }.ToString());
            blocker.Open();
            using var writeLock = blocker.BeginTransaction(deferred: false);
            Assert.Equal(15, await MessagesApplied(node.Twin(device, options), device));
            writeLock.Rollback();
        }
    }

    [Fact]
    public async Task A_stale_incarnation_cannot_write_below_the_events_a_newer_one_wrote_and_deleted()
    {
        // Another incarnation of the device went on to 25: snapshots at 10 and 20, events up to 18 deleted (19 kept,
        // marked). A stale incarnation, recovered when the device was at 4, now writes its 5th event: sequence number 5
        // is free (deleted), and below the newest snapshot no recovery would ever read it. It must fail instead.
        var device = NewDevice();
        var pid = DeviceActor<DeviceTwin>.PersistenceIdOf(device);
        await using var node = await DeviceNode.StartAsync(Store(groupCommit: true));
        await Apply(node.Twin(device, new DeviceOptions { SnapshotEvery = 10, SpreadSnapshots = false }), device, 1, 25);
        node.Probe().AwaitAssert(() => Assert.Equal("19,20,21,22,23,24,25",
            Query("SELECT sequence_number FROM journal WHERE persistence_id = $pid ORDER BY sequence_number", pid)), Timeout);

        var journal = Akka.Persistence.Persistence.Instance.Apply(node.System).JournalFor(null);
        var probe = node.Probe();
        object WriteAt(long sequenceNr, string writer)
        {
            journal.Tell(new WriteMessages([new AtomicWrite(new Persistent("event " + sequenceNr, sequenceNr, pid, writerGuid: writer))], probe.Ref, 1), probe.Ref);
            probe.ExpectMsg<object>(m => m is WriteMessagesSuccessful or WriteMessagesFailed, Timeout);
            return probe.ExpectMsg<object>(Timeout);
        }

        var stale = WriteAt(5, "stale-incarnation");
        var failure = Assert.IsType<WriteMessageFailure>(stale);
        Assert.IsType<StaleJournalWriteException>(failure.Cause.GetBaseException());
        Assert.IsType<WriteMessageFailure>(WriteAt(25, "stale-incarnation")); // a number taken is refused as before

        // The current incarnation's next write (above every row) goes through; the free numbers stay free.
        Assert.IsType<WriteMessageSuccess>(WriteAt(26, "current-incarnation"));
        Assert.Equal("19,20,21,22,23,24,25,26",
            Query("SELECT sequence_number FROM journal WHERE persistence_id = $pid ORDER BY sequence_number", pid));
    }

    [Fact]
    public async Task A_write_whose_payload_cannot_be_serialized_is_rejected_alone_and_the_others_of_its_request_are_written()
    {
        const string pid = "device-a1Bc/rejected-alone";
        await using var node = await DeviceNode.StartAsync(Store(groupCommit: true));
        var journal = Akka.Persistence.Persistence.Instance.Apply(node.System).JournalFor(null);
        var probe = node.Probe();
        Persistent Event(object payload, long sequenceNr) => new(payload, sequenceNr, pid, string.Empty, false, probe.Ref, "writer");
        var writes = new IPersistentEnvelope[]
        {
            new AtomicWrite(Event("a", 1)),
            new AtomicWrite(Event(new Unserializable(), 2)),
            new AtomicWrite(System.Collections.Immutable.ImmutableList.Create<IPersistentRepresentation>(Event("c", 3), Event("d", 4))),
        };

        journal.Tell(new WriteMessages(writes, probe.Ref, 1), probe.Ref);

        probe.ExpectMsg<WriteMessagesSuccessful>(Timeout);
        var outcomes = Enumerable.Range(0, 4).Select(_ => probe.ExpectMsg<object>(Timeout) switch
        {
            WriteMessageSuccess success => $"{success.Persistent.SequenceNr} written",
            WriteMessageRejected rejected => $"{rejected.Persistent.SequenceNr} rejected",
            var other => other.GetType().Name,
        }).ToList();
        Assert.Equal(["1 written", "2 rejected", "3 written", "4 written"], outcomes);
        Assert.Equal("1,3,4", Query("SELECT sequence_number FROM journal WHERE persistence_id = $pid ORDER BY sequence_number", pid));

        journal.Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, pid, probe.Ref), probe.Ref);
        var replayed = new List<string>();
        while (probe.ExpectMsg<object>(Timeout) is ReplayedMessage { Persistent: var p }) replayed.Add($"{p.SequenceNr}:{p.Payload}");
        Assert.Equal(["1:a", "3:c", "4:d"], replayed);
    }

    /// <summary>A payload no serializer can write: reading its property throws.</summary>
    private sealed class Unserializable
    {
        public string Value => throw new InvalidOperationException("not serializable, on purpose");
    }

    [Fact]
    public async Task Highest_sequence_numbers_replays_and_snapshot_loads_answer_as_the_plugins_own_reads()
    {
        var device = NewDevice();
        var pid = DeviceActor<DeviceTwin>.PersistenceIdOf(device);
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
        {
            await Apply(node.Twin(device, new DeviceOptions { SnapshotEvery = 10, SpreadSnapshots = false }), device, 1, 25);
            // Snapshots at 10 and 20; what they cover deleted, the highest deleted event (19) kept and marked.
            node.Probe().AwaitAssert(() => Assert.Equal("20", Query("SELECT sequence_number FROM snapshot WHERE persistence_id = $pid", pid)), Timeout);
        }

        var asked = new[]
        {
            new SnapshotSelectionCriteria(long.MaxValue, DateTime.MaxValue),
            new SnapshotSelectionCriteria(25),
            new SnapshotSelectionCriteria(19),
            new SnapshotSelectionCriteria(long.MaxValue, DateTime.UtcNow.AddDays(-1)),
        };
        var answers = new Dictionary<bool, string>();
        foreach (var groupCommit in new[] { true, false })
        {
            await using var node = await DeviceNode.StartAsync(Store(groupCommit));
            var persistence = Akka.Persistence.Persistence.Instance.Apply(node.System);
            var probe = node.Probe();
            var found = new List<string>();
            foreach (var (pidAsked, from) in new[] { (pid, 0L), (pid, 19L), (pid, 25L), ("device-nobody", 0L) })
            {
                persistence.JournalFor(null).Tell(new ReplayMessages(from, long.MaxValue, 0, pidAsked, probe.Ref), probe.Ref);
                found.Add("highest from " + from + ": " + probe.ExpectMsg<RecoverySuccess>(Timeout).HighestSequenceNr);
            }
            foreach (var (from, to, max) in new[] { (0L, long.MaxValue, long.MaxValue), (21L, 23L, long.MaxValue), (0L, long.MaxValue, 2L) })
            {
                persistence.JournalFor(null).Tell(new ReplayMessages(from, to, max, pid, probe.Ref), probe.Ref);
                var replayed = new List<string>();
                while (probe.ExpectMsg<object>(Timeout) is ReplayedMessage { Persistent: var p })
                    replayed.Add($"{p.SequenceNr}:{p.Payload.GetType().Name}:{p.Manifest}:{p.IsDeleted}:{p.WriterGuid is { Length: > 0 }}:{p.Timestamp > 0}");
                found.Add($"replay {from}..{to} max {max}: " + string.Join(",", replayed));
            }
            foreach (var criteria in asked)
            {
                persistence.SnapshotStoreFor(null).Tell(new LoadSnapshot(pid, criteria, long.MaxValue), probe.Ref);
                var result = probe.ExpectMsg<LoadSnapshotResult>(Timeout);
                found.Add(result.Snapshot is { } s ? $"snapshot {s.Metadata.SequenceNr} of {((DeviceSnapshot)s.Snapshot).MessagesApplied}" : "no snapshot");
            }
            answers[groupCommit] = string.Join("; ", found);
        }

        Assert.Equal(answers[false], answers[true]);
        Assert.StartsWith("highest from 0: 25; highest from 19: 25; highest from 25: 25; highest from 0: 0; replay 0..", answers[true]);
        Assert.Contains("replay 21..23 max 9223372036854775807: 21:MessageApplied:", answers[true]);
        Assert.EndsWith("snapshot 20 of 20; snapshot 20 of 20; no snapshot; no snapshot", answers[true]);
    }

    [Fact]
    public async Task The_device_list_reads_devices_whose_events_the_group_commit_wrote()
    {
        var devices = new[] { NewDevice(), NewDevice() };
        await using var node = await DeviceNode.StartAsync(Store(groupCommit: true));
        foreach (var device in devices) await Apply(node.Twin(device), device, 1, 2);

        // The host's device list (DeviceDirectory) asks this read journal.
        var ids = await PersistenceQuery.Get(node.System)
            .ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier)
            .CurrentPersistenceIds()
            .RunWith(Sink.Seq<string>(), node.System.Materializer());

        Assert.Superset(devices.Select(DeviceActor<DeviceTwin>.PersistenceIdOf).ToHashSet(), ids.ToHashSet());
    }

    [Fact]
    public async Task Tagged_events_are_written_by_the_plugins_path_with_their_tags_and_replayed()
    {
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
        {
            var writer = node.System.ActorOf(Props.Create(() => new TaggingActor("tagging-1")));
            Assert.Equal("persisted", await writer.Ask<string>(new Tagged("one", ["alpha"]), Timeout));
            Assert.Equal("persisted", await writer.Ask<string>("two", Timeout));
        }

        Assert.Equal("alpha", Query("SELECT tag FROM tags WHERE persistence_id = $pid", "tagging-1"));
        Assert.Equal("1,2", Query("SELECT sequence_number FROM journal WHERE persistence_id = $pid ORDER BY sequence_number", "tagging-1"));
        await using (var node = await DeviceNode.StartAsync(Store(groupCommit: true)))
        {
            var reader = node.System.ActorOf(Props.Create(() => new TaggingActor("tagging-1")));
            Assert.Equal("one,two", await reader.Ask<string>("replayed?", Timeout));
        }
    }

    /// <summary>Persists what it is sent (tagged or not) and answers "replayed?" with what recovery gave it.</summary>
    private sealed class TaggingActor : Akka.Persistence.UntypedPersistentActor
    {
        private readonly List<string> _events = [];

        public TaggingActor(string persistenceId) => PersistenceId = persistenceId;

        public override string PersistenceId { get; }

        protected override void OnRecover(object message)
        {
            if (message is string text) _events.Add(text);
        }

        protected override void OnCommand(object message)
        {
            switch (message)
            {
                case "replayed?":
                    Sender.Tell(string.Join(",", _events));
                    break;
                case Tagged or string:
                    var sender = Sender;
                    Persist(message, _ => sender.Tell("persisted"));
                    break;
            }
        }
    }

    private string Query(string sql, string persistenceId)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, DevicePersistenceOptions.SqliteFileName) }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$pid", persistenceId);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetValue(0).ToString()!);
        return string.Join(",", values);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
