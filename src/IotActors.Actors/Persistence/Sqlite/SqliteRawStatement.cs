using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// A statement prepared once on a connection and run through SQLite's own API (SQLitePCLRaw, on which Microsoft.Data.Sqlite
/// is built), for the statements the writer runs once per event. Binding and running it allocate nothing; a prepared
/// <see cref="SqliteCommand"/> allocates a data reader, a record and boxed values on every run (~0.5 KB per statement,
/// BENCHMARKS.md round 13). It runs inside whatever transaction the connection is in.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;
    private byte[] _utf8 = new byte[128]; // text is encoded here; SQLitePCLRaw binds with SQLITE_TRANSIENT (SQLite copies it)

    /// <param name="connection">An open connection; the statement must be disposed before it is closed.</param>
    /// <param name="sql">One statement.</param>
    /// <param name="parameters">Every parameter of <paramref name="sql"/> by name; <see cref="Bind(int, long)"/> and the
    /// other binds take a position in this list.</param>
    public SqliteRawStatement(SqliteConnection connection, string sql, params string[] parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK || statement is null)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
            throw new InvalidOperationException($"SQLite prepared nothing for: {sql}");
        }
        _statement = statement;
        try
        {
            _indexes = Indexes(statement, sql, parameters);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    private static int[] Indexes(sqlite3_stmt statement, string sql, string[] parameters)
    {
        var count = raw.sqlite3_bind_parameter_count(statement);
        if (count != parameters.Length)
            throw new ArgumentException($"The statement has {count} parameters, not the {parameters.Length} named: {sql}", nameof(parameters));
        var indexes = new int[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            indexes[i] = raw.sqlite3_bind_parameter_index(statement, parameters[i]);
            if (indexes[i] == 0) throw new ArgumentException($"The statement has no parameter {parameters[i]}: {sql}", nameof(parameters));
        }
        return indexes;
    }

    public void Bind(int position, long value) => Check(raw.sqlite3_bind_int64(_statement, _indexes[position], value));

    /// <summary>Binds text as UTF-8 (NULL for null).</summary>
    public void Bind(int position, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, _indexes[position]));
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        if (length == 0)
        {
            // An empty span is a null pointer, which SQLite binds as NULL: the string overload binds empty text.
            Check(raw.sqlite3_bind_text(_statement, _indexes[position], string.Empty));
            return;
        }
        if (_utf8.Length < length) _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_statement, _indexes[position], _utf8.AsSpan(0, length)));
    }

    /// <summary>Binds a blob (SQLite copies it).</summary>
    public void Bind(int position, ReadOnlySpan<byte> value) =>
        // SQLite needs a non-null pointer for an empty blob, which SQLitePCLRaw would allocate: a zero-length one instead.
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, _indexes[position], 0) : raw.sqlite3_bind_blob(_statement, _indexes[position], value));

    /// <summary>Runs the statement to its first row (true) or its end (false), then resets it for the next run.</summary>
    /// <exception cref="SqliteException">SQLite's error, as Microsoft.Data.Sqlite reports it.</exception>
    public bool Step()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW) return true;
            if (rc == raw.SQLITE_DONE) return false;
            SqliteException.ThrowExceptionForRC(rc, _db);
            return false;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }
}
