using System.Collections.Concurrent;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// Open read connections to the SQLite journal, each with its statements prepared once, lent to one read at a time.
/// Recovery asks for a snapshot and a highest sequence number per actor: built by linq2db they cost more CPU than the
/// recovery itself (BENCHMARKS.md, round 6); a prepared statement on an open connection is a bind and a step.
/// Reads outside a transaction: in WAL mode each sees the last commit and waits for no writer.
/// </summary>
internal sealed class SqliteReaders : IDisposable
{
    private readonly ConcurrentBag<SqliteStatements> _idle = [];
    private readonly string _connectionString;
    private readonly string _onOpen;
    private volatile bool _disposed;

    /// <param name="connectionString">The SQLite database.</param>
    /// <param name="onOpen">SQL run on every connection opened (the journal's pragmas).</param>
    public SqliteReaders(string connectionString, string onOpen) => (_connectionString, _onOpen) = (connectionString, onOpen);

    /// <summary>Runs <paramref name="read"/> on a connection no other read is using; a connection that failed is closed, not reused.</summary>
    public T Read<T>(Func<SqliteStatements, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_idle.TryTake(out var statements)) statements = SqliteStatements.Open(_connectionString, _onOpen);
        T result;
        try
        {
            result = read(statements);
        }
        catch
        {
            statements.Dispose();
            throw;
        }
        _idle.Add(statements);
        if (_disposed) CloseIdle(); // closed while this read ran
        return result;
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryTake(out var statements)) statements.Dispose();
    }
}
