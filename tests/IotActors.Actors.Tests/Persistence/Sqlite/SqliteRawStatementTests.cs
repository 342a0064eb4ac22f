using IotActors.Actors.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace IotActors.Actors.Tests.Persistence.Sqlite;

/// <summary>The writer's statements through SQLite's own API, against a real in-memory SQLite database.</summary>
public sealed class SqliteRawStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteRawStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, body BLOB NOT NULL, note TEXT NULL, n INTEGER NOT NULL)";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Values_are_stored_as_sqlite_stores_them_through_ado_net()
    {
        using var insert = new SqliteRawStatement(_connection, "INSERT INTO t (id, name, body, note, n) VALUES ($id, $name, $body, $note, $n)",
            "$id", "$name", "$body", "$note", "$n");
        void Insert(long id, string name, byte[] body, string? note, long n)
        {
            insert.Bind(0, id);
            insert.Bind(1, name);
            insert.Bind(2, body);
            insert.Bind(3, note);
            insert.Bind(4, n);
            Assert.False(insert.Step());
        }

        Insert(1, "device-pk/dev-1", [1, 2, 3], "E", long.MaxValue);
        Insert(2, "", [], null, -1);                            // empty text and blob are not NULL
        Insert(3, "设备/äöü-" + new string('x', 300), [0], "", 0); // multi-byte text, longer than the first buffer

        Assert.Equal("1|device-pk/dev-1|010203|E|9223372036854775807;2||(empty)|(null)|-1;3|设备/äöü-" + new string('x', 300) + "|00||0",
            Rows());
    }

    [Fact]
    public void A_query_reports_whether_it_found_a_row_and_runs_again_with_new_values()
    {
        Execute("INSERT INTO t VALUES (1, 'a', x'00', NULL, 5)");
        using var query = new SqliteRawStatement(_connection, "SELECT 1 FROM t WHERE name = $name AND n >= $n LIMIT 1", "$name", "$n");
        bool Found(string name, long n)
        {
            query.Bind(0, name);
            query.Bind(1, n);
            return query.Step();
        }

        Assert.True(Found("a", 5));
        Assert.False(Found("a", 6));
        Assert.False(Found("b", 0));
        Assert.True(Found("a", 0));
    }

    [Fact]
    public void SQLites_error_is_a_SqliteException_and_the_statement_runs_again_afterwards()
    {
        Execute("INSERT INTO t VALUES (1, 'a', x'00', NULL, 5)");
        using var insert = new SqliteRawStatement(_connection, "INSERT INTO t (id, name, body, n) VALUES ($id, 'b', x'01', 1)", "$id");
        insert.Bind(0, 1);
        var error = Assert.Throws<SqliteException>(() => insert.Step());
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Contains("UNIQUE", error.Message);

        insert.Bind(0, 2);
        Assert.False(insert.Step());
        Assert.Equal("1|a|00||5;2|b|01||1", Rows().Replace("(null)", ""));
    }

    [Fact]
    public void Parameters_are_checked_against_the_statement_when_it_is_prepared()
    {
        Assert.Throws<ArgumentException>(() => new SqliteRawStatement(_connection, "SELECT $a, $b", "$a"));
        Assert.Throws<ArgumentException>(() => new SqliteRawStatement(_connection, "SELECT $a", "$b"));
        Assert.Throws<SqliteException>(() => new SqliteRawStatement(_connection, "SELEC nonsense", "$a"));
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private string Rows()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, name, body, note, n FROM t ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var body = (byte[])reader.GetValue(2);
            rows.Add(string.Join("|", reader.GetInt64(0), reader.GetString(1), body.Length == 0 ? "(empty)" : Convert.ToHexString(body),
                reader.IsDBNull(3) ? "(null)" : reader.GetString(3), reader.GetInt64(4)));
        }
        return string.Join(";", rows);
    }

    public void Dispose() => _connection.Dispose();
}
