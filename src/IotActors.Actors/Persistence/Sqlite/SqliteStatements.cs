using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// A connection with its statements, each prepared once for the connection's life and bound to the transaction in
/// progress (the writer's) when asked for; the read connections (<see cref="SqliteReaders"/>) run theirs outside one.
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _raw = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public SqliteConnection Connection { get; } = connection;

    /// <summary>Opens a connection to <paramref name="connectionString"/> and runs <paramref name="onOpen"/> (the store's pragmas) on it.</summary>
    public static SqliteStatements Open(string connectionString, string onOpen)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = onOpen;
            pragmas.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new SqliteStatements(connection);
    }

    /// <summary>
    /// The statement <paramref name="sql"/>, prepared with the parameters <paramref name="declare"/> adds on first use, in
    /// the current transaction. Callers set every parameter's value before running it.
    /// </summary>
    public SqliteCommand Get(string sql, Action<SqliteParameterCollection> declare)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            declare(command.Parameters);
            command.Prepare();
            _prepared.Add(sql, command);
        }
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>
    /// The statement <paramref name="sql"/> for SQLite's own API (<see cref="SqliteRawStatement"/>), prepared on first use
    /// with its <paramref name="parameters"/> by name; it runs in whatever transaction the connection is in.
    /// </summary>
    public SqliteRawStatement Raw(string sql, params string[] parameters)
    {
        if (!_raw.TryGetValue(sql, out var statement))
        {
            statement = new SqliteRawStatement(Connection, sql, parameters);
            _raw.Add(sql, statement);
        }
        return statement;
    }

    /// <summary>Runs <paramref name="sql"/> (one or more statements without parameters, not kept prepared) in the current transaction.</summary>
    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Begins a transaction (IMMEDIATE, as Microsoft.Data.Sqlite does: the write lock is taken up front).</summary>
    public SqliteTransaction Begin() => _transaction = Connection.BeginTransaction();

    /// <summary>Forgets the transaction once it is committed or rolled back.</summary>
    public void Ended() => _transaction = null;

    public void Dispose()
    {
        foreach (var command in _prepared.Values) command.Dispose();
        _prepared.Clear();
        // Before the connection: it goes back to Microsoft.Data.Sqlite's pool open, and must not keep our statements.
        foreach (var statement in _raw.Values) statement.Dispose();
        _raw.Clear();
        Connection.Dispose();
    }
}
