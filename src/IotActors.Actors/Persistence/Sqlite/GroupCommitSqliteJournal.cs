using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// Akka.Persistence.Sql's journal for SQLite with its writes made by the system's group-commit writer
/// (<see cref="SqliteWriterExtension"/>): events are serialized as the plugin serializes them and inserted into its table
/// with one prepared statement, many actors' writes per transaction; deletions go the same way. Recovery's reads (an
/// actor's highest sequence number, its replay) are prepared statements too (<see cref="SqliteReaders"/>), with the
/// plugin's queries and deserialization. The tables are the plugin's, created here without two indexes nothing reads
/// (<see cref="SqliteJournalSchema"/>); the read journal stays the plugin's, on the same rows, so a database written by
/// either is read by both.
/// <para>
/// Why: on SQLite the plugin spent most of a durable message's CPU building and running each insert through linq2db,
/// and its deletes ran on this actor's thread, waiting there for the write lock (BENCHMARKS.md, round 5).
/// Tagged events (which need the plugin's tag table), tag modes other than <c>TagTable</c> and the delete
/// compatibility mode are left to the plugin's own path.
/// </para>
/// </summary>
public sealed class GroupCommitSqliteJournal : GuardedSqlWriteJournal
{
    private readonly SqliteGroupCommitWriter? _writer;
    private readonly SqliteReaders? _readers;
    private readonly SqliteJournalTable? _table;
    private readonly bool _deletesByWriter;
    private readonly ConcurrentDictionary<string, Task> _inFlight = new();
    private readonly ExtendedActorSystem _system;
    private readonly string _defaultSerializer;
    private readonly string? _writerUuid;
    private string? _schemaSql; // null once the tables are in place (or when they are the plugin's)
    private readonly string? _schemaInPlaceSql;

    /// <summary>Made by Akka from the <c>akka.persistence.journal.sql</c> section.</summary>
    public GroupCommitSqliteJournal(Config journalConfig) : this(journalConfig, Configured(journalConfig))
    {
    }

    private GroupCommitSqliteJournal(Config journalConfig, JournalConfig settings)
        : base(SqliteJournalSchema.PluginSection(journalConfig, settings), settings)
    {
        _system = (ExtendedActorSystem)Context.System;
        var config = Settings;
        _defaultSerializer = config.DefaultSerializer;
        if (config.PluginConfig.TagMode != TagMode.TagTable) return;

        var sqlite = SqliteWriterExtension.For(_system);
        _writer = sqlite.Writer;
        _table = SqliteJournalTable.From(config.TableConfig);
        // One id per journal instance, as the plugin does: it tells which incarnation of the journal wrote a row.
        _writerUuid = _table.HasWriterUuid ? Guid.NewGuid().ToString("N") : null;
        // The compatibility mode keeps a metadata table that deletes and the highest sequence number must also see.
        _deletesByWriter = !config.DaoConfig.SqlCommonCompatibilityMode;
        _readers = _deletesByWriter ? sqlite.Readers : null;
        if (SqliteJournalSchema.CreatedByJournal(config))
        {
            _schemaSql = SqliteJournalSchema.Sql(config.TableConfig);
            _schemaInPlaceSql = SqliteJournalSchema.InPlaceSql(config.TableConfig);
            // At start, as the plugin creates its tables; if that fails, the first read or write tries again (EnsureSchema).
            if (SchemaFailure() is { } error)
                Context.GetLogger().Warning(error, "Could not create the SQLite journal's tables yet; the next read or write of the journal tries again.");
        }
    }

    /// <inheritdoc />
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        if (SchemaFailure() is { } failed) return Task.FromException<IImmutableList<Exception>>(failed);
        if (_writer is null || writes.Any(HasTags)) return base.WriteMessagesAsync(writes, cancellationToken);
        // The writer refuses a stale write by itself (JournalInsertJob, SqliteJournalTable.TakenSql; a clear error), so the
        // table's trigger (StaleWriteGuard), which would check each row again, is left to the plugin's write path: the
        // base class installs it on that path's first write (tagged events here, or the file opened with group commit off).

        var created = DateTime.UtcNow.Ticks;
        // One array of exactly the rows (a device writes one event at a time): a list grown from empty plus an array per
        // write cost ~300 B per event (BENCHMARKS.md, round 15).
        var total = 0;
        for (var i = 0; i < writes.Count; i++) total += RowsOf(writes[i]);
        var rows = new SqliteJournalRow[total];
        var count = 0;
        Exception[]? rejections = null;
        for (var i = 0; i < writes.Count; i++)
        {
            // A write whose payload cannot be serialized is rejected alone (the actor's OnPersistRejected), as the plugin does.
            try
            {
                count = AddRows(writes[i], created, rows, count);
            }
            catch (Exception error)
            {
                rejections ??= new Exception[writes.Count];
                rejections[i] = error;
            }
        }
        IImmutableList<Exception>? rejected = rejections?.ToImmutableList();
        if (count == 0) return Task.FromResult(rejected!);
        if (count < rows.Length) Array.Resize(ref rows, count);

        var persistenceId = writes[0].PersistenceId;
        var written = _writer.Submit(new JournalInsertJob(_table!, rows));
        _inFlight[persistenceId] = written;
        return AfterWrite(written, persistenceId, rejected);
    }

    /// <summary>
    /// Waits for a write of <paramref name="persistenceId"/> still in flight first: an incarnation recovering while
    /// the previous one's last write is queued must see it, or it would write the same sequence number again. Then the
    /// plugin's query (the highest above <paramref name="fromSequenceNr"/>, deleted rows included, or 0), prepared.
    /// </summary>
    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (SchemaFailure() is { } failed) throw failed;
        if (_inFlight.TryGetValue(persistenceId, out var pending))
            await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (_readers is null) return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        return _readers.Read(statements =>
        {
            var highest = statements.Get(_table!.HighestSql, DeclareHighest);
            highest.Parameters[0].Value = persistenceId;
            highest.Parameters[1].Value = fromSequenceNr;
            return highest.ExecuteScalar() is long value ? value : 0L;
        });
    }

    /// <summary>
    /// The plugin's replay (events not deleted, in order, at most <paramref name="max"/>) as one prepared query; rows
    /// without a serializer id (an older plugin's) are left to the plugin, which finds their type by name.
    /// </summary>
    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        if (SchemaFailure() is { } failed) throw failed;
        if (_readers is null)
        {
            await base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);
            return;
        }

        var rows = _readers.Read(statements =>
        {
            var replay = statements.Get(_table!.ReplaySql, DeclareReplay);
            replay.Parameters[0].Value = persistenceId;
            replay.Parameters[1].Value = fromSequenceNr;
            replay.Parameters[2].Value = toSequenceNr;
            replay.Parameters[3].Value = max <= int.MaxValue ? max : -1L; // as the plugin: no limit above int.MaxValue
            var found = new List<ReplayRow>();
            using var reader = replay.ExecuteReader();
            while (reader.Read())
            {
                found.Add(new ReplayRow(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    (byte[])reader.GetValue(2),
                    reader.IsDBNull(3) ? string.Empty : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
            return found;
        });
        if (rows.Exists(static row => row.SerializerId is null))
        {
            await base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);
            return;
        }

        foreach (var row in rows)
        {
            // As the plugin deserializes a row (its manifest doubles as the event's); an event that cannot be read fails the replay.
            recoveryCallback(new Persistent(
                _system.Serialization.Deserialize(row.Message, row.SerializerId!.Value, row.Manifest),
                row.SequenceNr,
                persistenceId,
                row.Manifest,
                isDeleted: false,
                ActorRefs.NoSender,
                row.WriterUuid,
                row.Created));
        }
    }

    private static void DeclareReplay(SqliteParameterCollection parameters)
    {
        parameters.Add("$pid", SqliteType.Text);
        parameters.Add("$from", SqliteType.Integer);
        parameters.Add("$to", SqliteType.Integer);
        parameters.Add("$max", SqliteType.Integer);
    }

    private readonly record struct ReplayRow(long SequenceNr, long Created, byte[] Message, string Manifest, int? SerializerId, string? WriterUuid);

    private static void DeclareHighest(SqliteParameterCollection parameters)
    {
        parameters.Add("$pid", SqliteType.Text);
        parameters.Add("$from", SqliteType.Integer);
    }

    /// <summary>
    /// Deletes through the writer too: the plugin's delete runs synchronously on this actor's thread and would wait there
    /// for SQLite's write lock while the writer holds it, holding up every write behind it.
    /// </summary>
    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        SchemaFailure() is { } failed ? Task.FromException(failed)
        : _writer is not null && _deletesByWriter
            ? _writer.Submit(new DeleteUpToJob(_table!.DeleteToSql, persistenceId, toSequenceNr))
            : base.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);

    /// <summary>
    /// Creates the tables if this journal makes them and has not yet (<see cref="SqliteJournalSchema"/>). Runs on the
    /// journal's thread and waits for the writer's commit: once per journal incarnation, before anything reads or writes
    /// the tables.
    /// </summary>
    private void EnsureSchema()
    {
        if (_schemaSql is null) return;
        if (_readers!.Read(statements => statements.Get(_schemaInPlaceSql!, static _ => { }).ExecuteScalar() is 1L))
        {
            _schemaSql = null;
            return;
        }
        if (!_writer!.Submit(new SchemaJob(_schemaSql)).Wait(SchemaTimeout))
            throw new TimeoutException($"The SQLite journal's tables were not created within {SchemaTimeout.TotalSeconds:0} s.");
        _schemaSql = null;
    }

    /// <summary><see cref="EnsureSchema"/>: null when the tables are in place, else why the read or write cannot be made.</summary>
    private Exception? SchemaFailure()
    {
        try
        {
            EnsureSchema();
            return null;
        }
        catch (AggregateException error) when (error.InnerExceptions.Count == 1)
        {
            return error.InnerExceptions[0];
        }
        catch (Exception error)
        {
            return error;
        }
    }

    /// <summary>How long the journal's thread waits for its tables to be created (the writer may be finishing a large commit).</summary>
    private static readonly TimeSpan SchemaTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The write's outcome once committed. The device's write leaves <see cref="_inFlight"/> first, before the journal hears
    /// of it (one continuation where there were two).
    /// </summary>
    private async Task<IImmutableList<Exception>> AfterWrite(Task written, string persistenceId, IImmutableList<Exception>? rejected)
    {
        try
        {
            await written.ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Task>(persistenceId, written));
        }
        return rejected!;
    }

    private static bool HasTags(AtomicWrite write) =>
        ((IImmutableList<IPersistentRepresentation>)write.Payload).Any(representation => representation.Payload is Tagged);

    private static int RowsOf(AtomicWrite write) => ((IImmutableList<IPersistentRepresentation>)write.Payload).Count;

    /// <summary>
    /// Puts <paramref name="write"/>'s rows into <paramref name="rows"/> from <paramref name="at"/> on; returns the index
    /// after them. All or nothing: when a payload cannot be serialized it throws and <paramref name="at"/> stays the end.
    /// </summary>
    private int AddRows(AtomicWrite write, long created, SqliteJournalRow[] rows, int at)
    {
        var representations = (IImmutableList<IPersistentRepresentation>)write.Payload;
        for (var i = 0; i < representations.Count; i++)
        {
            var representation = representations[i];
            rows[at + i] = new SqliteJournalRow(
                representation.PersistenceId,
                representation.SequenceNr,
                representation.Timestamp == 0 ? created : representation.Timestamp,
                SerializedPayload.Of(_system, representation.Payload, _defaultSerializer),
                _writerUuid);
        }
        return at + representations.Count;
    }
}
