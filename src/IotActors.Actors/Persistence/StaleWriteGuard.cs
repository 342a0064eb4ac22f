using System.Globalization;
using Akka.Persistence.Sql.Config;

namespace IotActors.Actors.Persistence;

/// <summary>
/// The journal table's own refusal of a stale incarnation's write: a trigger that fails an insert when the actor already
/// has a row at or above the new row's sequence number.
/// <para>
/// Why in the database: every device event carries the whole state, and a snapshot's deletion physically frees the
/// sequence numbers below it. An incarnation of a device that is stale — recovered at k while another incarnation of
/// the same persistence ID went on, snapshotted and deleted — writes its next events at k+1…, which the unique
/// (persistence id, sequence number) index no longer refuses. Those events sit below the newest snapshot, where no
/// recovery reads them: accepted messages lost, silently (BENCHMARKS.md, round 10). The deletion always keeps the
/// highest row it covers (Akka.Persistence.Sql's rule, and the group-commit writer's), so a freed number always lies
/// below a remaining row, and the check is one seek of the unique index. The trigger guards every writer of the table —
/// Akka.Persistence.Sql's batched inserts (PostgreSQL's <c>COPY</c> fires it too), the SQLite group-commit writer,
/// another tool — and needs nothing of the plugin.
/// </para>
/// </summary>
internal static class StaleWriteGuard
{
    /// <summary>Text every refusal carries (PostgreSQL's error message, SQLite's <c>RAISE</c>).</summary>
    public const string RefusalText = "stale journal write refused";

    /// <summary>Whether <paramref name="providerName"/> (a linq2db provider name) is one this guard has SQL for.</summary>
    public static bool Supports(string providerName) => Dialect(providerName) is not null;

    /// <summary>
    /// The idempotent DDL that installs the guard on the journal table <paramref name="table"/> names, for
    /// <paramref name="providerName"/> (SQLite or PostgreSQL). Run in one transaction; safe to run from many nodes at
    /// once (PostgreSQL's part takes an advisory lock first).
    /// </summary>
    /// <exception cref="NotSupportedException">The provider is neither SQLite nor PostgreSQL.</exception>
    public static string Sql(string providerName, JournalTableConfig table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var journal = table.EventJournalTable;
        var columns = journal.ColumnNames;
        return Dialect(providerName) switch
        {
            SqlDialect.Sqlite => SqliteSql(table.SchemaName, journal.Name, columns.PersistenceId, columns.SequenceNumber),
            SqlDialect.PostgreSql => PostgreSql(table.SchemaName, journal.Name, columns.PersistenceId, columns.SequenceNumber),
            _ => throw new NotSupportedException($"No stale-write guard for the provider '{providerName}' (SQLite and PostgreSQL have one)."),
        };
    }

    private enum SqlDialect { Sqlite, PostgreSql }

    private static SqlDialect? Dialect(string providerName) =>
        providerName.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase) ? SqlDialect.Sqlite
        : providerName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase) ? SqlDialect.PostgreSql
        : null;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Qualified(string? schema, string name) => schema is null ? Quote(name) : Quote(schema) + "." + Quote(name);

    private static string SqliteSql(string? schema, string table, string pid, string seq) =>
        // A trigger lives in its table's schema; its ON clause names the table unqualified (SQLite's rule).
        $"""
        CREATE TRIGGER IF NOT EXISTS {Qualified(schema, table + "_refuses_stale_writes")} BEFORE INSERT ON {Quote(table)}
        WHEN EXISTS (SELECT 1 FROM {Quote(table)} WHERE {Quote(pid)} = NEW.{Quote(pid)} AND {Quote(seq)} >= NEW.{Quote(seq)})
        BEGIN
          SELECT RAISE(ABORT, 'IotActors: {RefusalText}: the actor already has an event at or above this sequence number, written by another incarnation');
        END;
        """;

    private static string PostgreSql(string? schema, string table, string pid, string seq)
    {
        var function = Qualified(schema, table + "_refuse_stale_write");
        var trigger = table + "_refuses_stale_writes";
        var qualifiedTable = Qualified(schema, table);
        // One lock key per table: nodes starting together install one after another (concurrent CREATE OR REPLACE
        // FUNCTION fails with "tuple concurrently updated"). The trigger is created only when missing, so a restart
        // takes no table lock (CREATE TRIGGER would lock out every writer for a moment).
        var lockKey = StableHash(qualifiedTable).ToString(CultureInfo.InvariantCulture);
        var triggerLiteral = "'" + trigger.Replace("'", "''", StringComparison.Ordinal) + "'";
        var tableLiteral = "'" + qualifiedTable.Replace("'", "''", StringComparison.Ordinal) + "'";
        return $"""
            SELECT pg_advisory_xact_lock({lockKey});
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              IF EXISTS (SELECT 1 FROM {qualifiedTable} WHERE {Quote(pid)} = NEW.{Quote(pid)} AND {Quote(seq)} >= NEW.{Quote(seq)}) THEN
                RAISE EXCEPTION 'IotActors: {RefusalText}: % already has an event at or above sequence number %, written by another incarnation',
                  NEW.{Quote(pid)}, NEW.{Quote(seq)} USING ERRCODE = 'unique_violation';
              END IF;
              RETURN NEW;
            END
            $fn$;
            DO $do$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = {triggerLiteral} AND tgrelid = {tableLiteral}::regclass) THEN
                CREATE TRIGGER {Quote(trigger)} BEFORE INSERT ON {qualifiedTable} FOR EACH ROW EXECUTE FUNCTION {function}();
              END IF;
            END
            $do$;
            """;
    }

    /// <summary>A hash that is the same in every process (string.GetHashCode is randomized per process).</summary>
    private static long StableHash(string text)
    {
        var hash = 0xcbf29ce484222325UL; // FNV-1a, 64 bit
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 0x100000001b3UL;
        }
        return unchecked((long)hash);
    }
}
