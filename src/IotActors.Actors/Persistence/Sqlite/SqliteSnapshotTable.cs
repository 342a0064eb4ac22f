using Akka.Persistence.Sql.Config;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// The statements the group-commit writer runs on Akka.Persistence.Sql's snapshot table, with the names its
/// configuration gives, so that the plugin's snapshot load reads what the writer saved.
/// </summary>
internal sealed class SqliteSnapshotTable
{
    private SqliteSnapshotTable(string saveSql, string deleteToSql, string loadSql) =>
        (SaveSql, DeleteToSql, LoadSql) = (saveSql, deleteToSql, loadSql);

    /// <summary>Insert or replace of one snapshot; parameters <c>$pid $seq $created $snapshot $manifest $serializer</c>.</summary>
    public string SaveSql { get; }

    /// <summary>Deletion of an actor's snapshots up to <c>$to</c>; parameters <c>$pid $to</c>.</summary>
    public string DeleteToSql { get; }

    /// <summary>
    /// The newest snapshot of an actor at or below <c>$maxSeq</c> taken at or before <c>$maxCreated</c> (ticks): columns
    /// sequence number, created, snapshot, manifest, serializer id. What the plugin's load selects for every criteria.
    /// </summary>
    public string LoadSql { get; }

    /// <summary>The table the snapshot plugin's configuration maps.</summary>
    public static SqliteSnapshotTable From(SnapshotTableConfiguration config)
    {
        var c = config.SnapshotTable.ColumnNames;
        var table = SqliteNames.Table(config.SchemaName, config.SnapshotTable.Name);
        var columns = string.Join(", ", new[] { c.PersistenceId, c.SequenceNumber, c.Created, c.Snapshot, c.Manifest, c.SerializerId }.Select(SqliteNames.Quote));
        var (pid, seq, created) = (SqliteNames.Quote(c.PersistenceId), SqliteNames.Quote(c.SequenceNumber), SqliteNames.Quote(c.Created));
        var loaded = string.Join(", ", new[] { c.SequenceNumber, c.Created, c.Snapshot, c.Manifest, c.SerializerId }.Select(SqliteNames.Quote));
        return new SqliteSnapshotTable(
            $"INSERT OR REPLACE INTO {table} ({columns}) VALUES ($pid, $seq, $created, $snapshot, $manifest, $serializer)",
            $"DELETE FROM {table} WHERE {pid} = $pid AND {seq} <= $to",
            $"SELECT {loaded} FROM {table} WHERE {pid} = $pid AND {seq} <= $maxSeq AND {created} <= $maxCreated ORDER BY {seq} DESC LIMIT 1");
    }
}
