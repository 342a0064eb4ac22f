using Akka.Persistence.Sql.Config;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// The statements the group-commit writer runs on Akka.Persistence.Sql's journal and tag tables, with the table and
/// column names its configuration gives, so that the rows it writes are the rows the plugin's replay,
/// highest-sequence-number and read-journal queries read.
/// </summary>
internal sealed class SqliteJournalTable
{
    private SqliteJournalTable(string insertSql, string takenSql, IReadOnlyList<string> deleteToSql, string highestSql, string replaySql,
        bool hasWriterUuid)
    {
        InsertSql = insertSql;
        TakenSql = takenSql;
        DeleteToSql = deleteToSql;
        HighestSql = highestSql;
        ReplaySql = replaySql;
        HasWriterUuid = hasWriterUuid;
    }

    /// <summary>Insert of one event; parameters <c>$pid $seq $created $message $manifest $identifier</c> and, with a writer column, <c>$writer</c>.</summary>
    public string InsertSql { get; }

    /// <summary>
    /// Whether an actor already has a row at or above a sequence number (a row: yes; none: no); parameters <c>$pid $seq</c>.
    /// Run before <see cref="InsertSql"/>, in the same transaction: an actor writes only above every row it has.
    /// </summary>
    public string TakenSql { get; }

    /// <summary>The deletion of an actor's events up to <c>$to</c>, in order; parameters <c>$pid $to</c>.</summary>
    public IReadOnlyList<string> DeleteToSql { get; }

    /// <summary>
    /// An actor's highest sequence number above <c>$from</c>, deleted rows included (NULL when there is none); parameters
    /// <c>$pid $from</c>. The plugin's query (native mode): its highest deleted row stays for this.
    /// </summary>
    public string HighestSql { get; }

    /// <summary>
    /// An actor's events from <c>$from</c> to <c>$to</c> that are not deleted, in order, at most <c>$max</c> (-1: all):
    /// columns sequence number, created, message, manifest, serializer id, writer (NULL without the column). The plugin's
    /// replay query.
    /// </summary>
    public string ReplaySql { get; }

    /// <summary>Whether the table has the writer column (Akka.Persistence.Sql's default); the insert then binds <c>$writer</c>.</summary>
    public bool HasWriterUuid { get; }

    /// <summary>The tables the journal plugin's configuration maps.</summary>
    public static SqliteJournalTable From(JournalTableConfig config)
    {
        var journal = config.EventJournalTable;
        var c = journal.ColumnNames;
        var table = SqliteNames.Table(config.SchemaName, journal.Name);

        var columns = new List<string> { c.Deleted, c.PersistenceId, c.SequenceNumber, c.Created, c.Message, c.Manifest, c.Identifier };
        var values = new List<string> { "0", "$pid", "$seq", "$created", "$message", "$manifest", "$identifier" };
        if (journal.UseWriterUuidColumn)
        {
            columns.Add(c.WriterUuid);
            values.Add("$writer");
        }
        var (pid, seq, deleted) = (SqliteNames.Quote(c.PersistenceId), SqliteNames.Quote(c.SequenceNumber), SqliteNames.Quote(c.Deleted));
        // Only above every row the actor already has (TakenSql, checked by JournalInsertJob). The unique (persistence id,
        // sequence number) index refuses a sequence number that is taken, but not one that a snapshot's deletion freed: a
        // stale incarnation of the actor (one that recovered before another advanced, snapshotted and deleted) would write
        // its events there without an error, below the newest snapshot, where no recovery reads them — accepted messages
        // lost. The deletion always keeps the highest row it covers, so a freed number always lies below a remaining row;
        // the check is one seek of the unique index. It is a query of its own rather than the insert's condition
        // (INSERT … SELECT … WHERE NOT EXISTS): an insert that reads its own table makes SQLite build a temporary table
        // for every row, a pager opened and closed per event (BENCHMARKS.md, round 13).
        var insert = $"INSERT INTO {table} ({string.Join(", ", columns.Select(SqliteNames.Quote))}) VALUES ({string.Join(", ", values)})";
        var taken = $"SELECT 1 FROM {table} WHERE {pid} = $pid AND {seq} >= $seq LIMIT 1";
        var tags = config.TagTable;
        // The plugin's end state in two statements instead of its three: every event up to $to is gone except the highest,
        // which stays marked deleted so that the actor's highest sequence number is still read after it. (The plugin
        // first marks every row, then deletes all but the highest marked: twice the page writes.)
        var highest = $"(SELECT MAX({seq}) FROM {table} WHERE {pid} = $pid AND {seq} <= $to)";
        var delete = new[]
        {
            $"UPDATE {table} SET {deleted} = 1 WHERE {pid} = $pid AND {seq} = {highest}",
            $"DELETE FROM {table} WHERE {pid} = $pid AND {seq} < {highest}",
            $"DELETE FROM {SqliteNames.Table(config.SchemaName, tags.Name)} WHERE {SqliteNames.Quote(tags.ColumnNames.PersistenceId)} = $pid AND {SqliteNames.Quote(tags.ColumnNames.SequenceNumber)} <= $to",
        };
        var highestSql = $"SELECT MAX({seq}) FROM {table} WHERE {pid} = $pid AND {seq} > $from";
        var writer = journal.UseWriterUuidColumn ? SqliteNames.Quote(c.WriterUuid) : "NULL";
        var replaySql = $"SELECT {seq}, {SqliteNames.Quote(c.Created)}, {SqliteNames.Quote(c.Message)}, {SqliteNames.Quote(c.Manifest)}, " +
            $"{SqliteNames.Quote(c.Identifier)}, {writer} FROM {table} " +
            $"WHERE {pid} = $pid AND {seq} >= $from AND {seq} <= $to AND {deleted} = 0 ORDER BY {seq} LIMIT $max";
        return new SqliteJournalTable(insert, taken, delete, highestSql, replaySql, journal.UseWriterUuidColumn);
    }
}
