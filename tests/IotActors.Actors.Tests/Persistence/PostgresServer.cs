using System.Diagnostics;
using System.Text;

namespace IotActors.Actors.Tests.Persistence;

/// <summary>
/// A private PostgreSQL for one test class, run as a plain process from Debian's binaries
/// (<c>/usr/lib/postgresql/N/bin</c>): <c>initdb</c> into a temp folder, <c>postgres</c> on a free loopback
/// port with its socket in that folder, one database, stopped with <c>pg_ctl stop -m fast</c> on dispose.
/// As root it runs as the <c>postgres</c> user (PostgreSQL refuses root). A test calls <see cref="Require"/>
/// first: a missing PostgreSQL skips the test loudly, or fails it when <c>IOTACTORS_REQUIRE_PEERS=1</c> (CI).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string RequirePeersVariable = "IOTACTORS_REQUIRE_PEERS";
    private const string InstallHint = "install the Debian package postgresql (scripts/test.sh does it when run as root)";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _serverLog = new();
    private string? _directory;
    private string? _bin;
    private Process? _server;
    private bool _asPostgresUser;

    /// <summary>Why PostgreSQL could not be started, or null when it runs.</summary>
    public string? Problem { get; private set; }

    /// <summary>Connection string of the test database (no password: the private server trusts loopback).</summary>
    public string ConnectionString { get; private set; } = "";

    public static bool PeersRequired => Environment.GetEnvironmentVariable(RequirePeersVariable) == "1";

    /// <summary>Skips (or, when peers are required, fails) the calling <c>[SkippableFact]</c> unless the server runs.</summary>
    public void Require()
    {
        if (Problem is null) return;
        if (PeersRequired)
            throw new InvalidOperationException($"POSTGRESQL MISSING and {RequirePeersVariable}=1: {Problem}; {InstallHint}.");
        Skip.If(true, $"POSTGRESQL MISSING, test skipped: {Problem}; {InstallHint}, or set {RequirePeersVariable}=1 to make this a failure.");
    }

    public async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (_bin is null)
        {
            Problem = "no /usr/lib/postgresql/*/bin/initdb";
            return;
        }
        _asPostgresUser = Environment.UserName == "root";
        if (_asPostgresUser && !File.Exists("/usr/sbin/runuser"))
        {
            Problem = "running as root but /usr/sbin/runuser is missing (PostgreSQL refuses to run as root)";
            return;
        }

        _directory = Path.Combine(Path.GetTempPath(), "iotactors-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        if (_asPostgresUser)
        {
            var chown = await RunAsync("/bin/chown", ["postgres:postgres", _directory]);
            if (chown is not null) { Problem = chown; return; }
        }

        var data = Path.Combine(_directory, "data");
        var initdb = await RunAsync(Tool("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asPostgres: true);
        if (initdb is not null) { Problem = initdb; return; }

        var port = LoopbackPorts.Unused();
        _server = Start(Tool("postgres"), ["-D", data, "-k", _directory, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]);

        var ready = await WaitUntilReadyAsync(port);
        if (ready is not null) { Problem = ready; return; }

        var createdb = await RunAsync(Tool("createdb"), ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "iotactors"]);
        if (createdb is not null) { Problem = createdb; return; }
        ConnectionString = $"Host=127.0.0.1;Port={port};Database=iotactors;Username=postgres;Pooling=true";
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            if (!_server.HasExited)
                await RunAsync(Tool("pg_ctl"), ["stop", "-D", Path.Combine(_directory!, "data"), "-m", "fast", "-w"], asPostgres: true);
            if (!_server.HasExited) _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
            _server.Dispose();
        }
        if (_directory is not null && Directory.Exists(_directory))
        {
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private string Tool(string name) => Path.Combine(_bin!, name);

    private async Task<string?> WaitUntilReadyAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        var args = new[] { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "2" };
        while (deadline.Elapsed < StartTimeout)
        {
            if (_server!.HasExited) return $"postgres exited with {_server.ExitCode}: {ServerLog()}";
            if (await RunAsync(Tool("pg_isready"), args) is null) return null;
            // pg_isready has no "wait" mode of its own; poll at a modest pace.
            await Task.Delay(200);
        }
        return $"postgres not ready on 127.0.0.1:{port} within {StartTimeout}: {ServerLog()}";
    }

    private string ServerLog()
    {
        lock (_serverLog) return _serverLog.ToString();
    }

    private (string FileName, IEnumerable<string> Arguments) AsUser(string fileName, IEnumerable<string> arguments, bool asPostgres) =>
        asPostgres && _asPostgresUser
            ? ("/usr/sbin/runuser", new[] { "-u", "postgres", "--", fileName }.Concat(arguments))
            : (fileName, arguments);

    private Process Start(string fileName, IEnumerable<string> arguments)
    {
        var (file, args) = AsUser(fileName, arguments, asPostgres: true);
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_serverLog) _serverLog.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_serverLog) _serverLog.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a tool to its end; null on success, else what went wrong with its output.</summary>
    private async Task<string?> RunAsync(string fileName, IEnumerable<string> arguments, bool asPostgres = false)
    {
        var (file, args) = AsUser(fileName, arguments, asPostgres);
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot start {file}: {e.Message}";
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            return $"`{file} {string.Join(' ', info.ArgumentList)}` timed out";
        }
        return process.ExitCode == 0
            ? null
            : $"`{file} {string.Join(' ', info.ArgumentList)}` exited {process.ExitCode}: {await stdout} {await stderr}";
    }
}
