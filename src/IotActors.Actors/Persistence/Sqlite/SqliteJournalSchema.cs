using Akka.Configuration;
using Akka.Persistence.Sql.Config;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// The journal's tables on SQLite, created by the group-commit journal instead of Akka.Persistence.Sql: the same
/// tables, columns and unique index the plugin creates (its rows and queries are unchanged, a file made by either is
/// read by both), without two of its indexes that no query uses and every write and deletion pays for.
/// <para>
/// The plugin indexes the journal on <c>created</c> and on <c>sequence_number</c> alone. None of its queries or ours
/// filters or sorts on either (replay, the highest sequence number and deletion use the unique (persistence id,
/// sequence number) index, the read journal the ordering key), yet both are laid out across all devices: an insert
/// lands on a page of the sequence-number index shared with every other device at that number, and deleting what a
/// snapshot covers touches a page of each index per event — on top of the table's own page, as rows lie in write
/// order. Without them the bench's durable base cell ran at 1.7× the rate with a third less CPU per message
/// (BENCHMARKS.md, round 12).
/// </para>
/// Why the journal makes the tables rather than dropping the two indexes after the plugin: the plugin creates its
/// indexes (if missing) on every start, and on a journal of millions of rows that is a scan and a sort per index at each
/// start, only for them to be dropped again. Existing files lose the two indexes on their next start.
/// </summary>
internal static class SqliteJournalSchema
{
    /// <summary>
    /// Whether the journal makes the tables itself: when the plugin would (<c>auto-initialize</c>), in the setup the
    /// group-commit path covers (tags in their table, no compatibility-mode metadata table). Otherwise the plugin's own
    /// initialization runs, as configured.
    /// </summary>
    public static bool CreatedByJournal(JournalConfig config) =>
        config.AutoInitialize && config.PluginConfig.TagMode == TagMode.TagTable && !config.DaoConfig.SqlCommonCompatibilityMode;

    /// <summary>The section the plugin's base class is given: its own initialization off when the journal makes the tables.</summary>
    public static Config PluginSection(Config journalConfig, JournalConfig settings) =>
        CreatedByJournal(settings) ? ConfigurationFactory.ParseString("auto-initialize = off").WithFallback(journalConfig) : journalConfig;

    /// <summary>
    /// The tables and indexes, each created if missing, and the two unused plugin indexes dropped if present. Column
    /// types and constraints as linq2db declares the plugin's rows (checked against the plugin's own tables by
    /// <c>SqliteGroupCommitJournalTests</c>).
    /// </summary>
    public static string Sql(JournalTableConfig config)
    {
        var journal = config.EventJournalTable;
        var c = journal.ColumnNames;
        var table = SqliteNames.Table(config.SchemaName, journal.Name);
        var writerColumn = journal.UseWriterUuidColumn ? $",\n    {SqliteNames.Quote(c.WriterUuid)} NVarChar(128) NULL" : string.Empty;
        var tags = config.TagTable;
        var t = tags.ColumnNames;
        var tagTable = SqliteNames.Table(config.SchemaName, tags.Name);
        var names = IndexNames.Of(config);
        string Index(string name) => SqliteNames.Table(config.SchemaName, name); // SQLite puts an index in its table's schema
        return $"""
            CREATE TABLE IF NOT EXISTS {table} (
                {SqliteNames.Quote(c.Ordering)} INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                {SqliteNames.Quote(c.Created)} INTEGER NOT NULL,
                {SqliteNames.Quote(c.Deleted)} Bit NOT NULL,
                {SqliteNames.Quote(c.PersistenceId)} NVarChar(255) NOT NULL,
                {SqliteNames.Quote(c.SequenceNumber)} INTEGER NOT NULL,
                {SqliteNames.Quote(c.Message)} VarBinary NOT NULL,
                {SqliteNames.Quote(c.Manifest)} NVarChar(500) NULL,
                {SqliteNames.Quote(c.Identifier)} INTEGER NULL{writerColumn}
            );
            CREATE UNIQUE INDEX IF NOT EXISTS {Index(names.JournalUnique)} ON {SqliteNames.Quote(journal.Name)} ({SqliteNames.Quote(c.PersistenceId)}, {SqliteNames.Quote(c.SequenceNumber)});
            DROP INDEX IF EXISTS {Index(names.JournalCreated)};
            DROP INDEX IF EXISTS {Index(names.JournalSequenceNumber)};
            CREATE TABLE IF NOT EXISTS {tagTable} (
                {SqliteNames.Quote(t.OrderingId)} INTEGER NOT NULL,
                {SqliteNames.Quote(t.Tag)} NVarChar(64) NOT NULL,
                {SqliteNames.Quote(t.SequenceNumber)} INTEGER NOT NULL,
                {SqliteNames.Quote(t.PersistenceId)} NVarChar(255) NOT NULL,
                CONSTRAINT {SqliteNames.Quote("PK_" + tags.Name)} PRIMARY KEY ({SqliteNames.Quote(t.OrderingId)}, {SqliteNames.Quote(t.Tag)})
            );
            CREATE INDEX IF NOT EXISTS {Index(names.TagsByPersistenceId)} ON {SqliteNames.Quote(tags.Name)} ({SqliteNames.Quote(t.PersistenceId)}, {SqliteNames.Quote(t.SequenceNumber)});
            CREATE INDEX IF NOT EXISTS {Index(names.TagsByTag)} ON {SqliteNames.Quote(tags.Name)} ({SqliteNames.Quote(t.Tag)});
            """;
    }

    /// <summary>
    /// A query answering 1 when the tables are as <see cref="Sql"/> leaves them (every table and index there, neither
    /// dropped index), else 0. Read first so that a start with the tables in place takes no write lock: the statements
    /// would change nothing, but the writer begins every transaction by taking it, and a recovery would wait behind it.
    /// </summary>
    public static string InPlaceSql(JournalTableConfig config)
    {
        var names = IndexNames.Of(config);
        var master = config.SchemaName is null ? "sqlite_master" : SqliteNames.Quote(config.SchemaName) + ".sqlite_master";
        string[] wanted = [config.EventJournalTable.Name, names.JournalUnique, config.TagTable.Name, names.TagsByPersistenceId, names.TagsByTag];
        string[] unwanted = [names.JournalCreated, names.JournalSequenceNumber];
        return $"SELECT (SELECT COUNT(*) FROM {master} WHERE name IN ({Literals(wanted)})) = {wanted.Length} " +
            $"AND NOT EXISTS (SELECT 1 FROM {master} WHERE name IN ({Literals(unwanted)}))";
    }

    private static string Literals(IEnumerable<string> values) => string.Join(", ", values.Select(v => "'" + v.Replace("'", "''") + "'"));

    /// <summary>The indexes, named as the plugin names them (<c>table_suffix</c>), unqualified.</summary>
    private sealed record IndexNames(string JournalUnique, string JournalCreated, string JournalSequenceNumber, string TagsByPersistenceId, string TagsByTag)
    {
        public static IndexNames Of(JournalTableConfig config)
        {
            var (journal, c) = (config.EventJournalTable.Name, config.EventJournalTable.ColumnNames);
            var (tags, t) = (config.TagTable.Name, config.TagTable.ColumnNames);
            return new IndexNames($"{journal}_uq", $"{journal}_{c.Created}_idx", $"{journal}_{c.SequenceNumber}_idx",
                $"{tags}_{t.PersistenceId}_{t.SequenceNumber}_idx", $"{tags}_{t.Tag}_idx");
        }
    }
}
