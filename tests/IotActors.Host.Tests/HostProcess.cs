using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IotActors.Host.Configuration;

namespace IotActors.Host.Tests;

/// <summary>
/// The real <c>iot-actors</c> executable as a child process: every output line recorded (merged, and per
/// stream), waits on lines with a deadline, SIGTERM, and the exit code. Only the given IOTACTORS__* variables
/// configure it.
/// </summary>
internal sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _standardOutput = [];
    private readonly List<string> _standardError = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private HostProcess(Process process) => _process = process;

    public static HostProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        StartIn(Path.GetTempPath(), environment, args);

    /// <summary>As <see cref="Start"/>, in <paramref name="workingDirectory"/> (where the host looks for a second appsettings.json).</summary>
    public static HostProcess StartIn(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(HostDll());
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith(IotActorsConfiguration.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        // Each process gets its own cluster port and state folder, so tests can run side by side.
        var dataDir = Directory.CreateTempSubdirectory("iotactors-data-").FullName;
        start.Environment["IOTACTORS__CLUSTER__PORT"] = "0";
        start.Environment["IOTACTORS__DATADIR"] = dataDir;
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var host = new HostProcess(Process.Start(start)!) { DataDirectory = dataDir };
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data, host._standardOutput);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data, host._standardError);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The state folder (SQLite) this process was given; removed on dispose.</summary>
    public string DataDirectory { get; private init; } = "";

    /// <summary>Every line of both streams, in the order they arrived.</summary>
    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    /// <summary><see cref="Lines"/> as one text.</summary>
    public string Output => string.Join('\n', Lines);

    /// <summary>What the process wrote to stdout only.</summary>
    public string StandardOutput { get { lock (_lines) return string.Join('\n', _standardOutput); } }

    /// <summary>What the process wrote to stderr only (usage errors and diagnoses go there).</summary>
    public string StandardError { get { lock (_lines) return string.Join('\n', _standardError); } }

    private static string HostDll()
    {
        // The host project's output is copied next to the tests by the ProjectReference.
        var path = Path.Combine(AppContext.BaseDirectory, "iot-actors.dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: the test project must reference src/IotActors.Host.", path);
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "iot-actors.runtimeconfig.json")))
            throw new FileNotFoundException("iot-actors.runtimeconfig.json is missing next to the tests.");
        return path;
    }

    private void OnLine(string? line, List<string> stream)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            stream.Add(line);
            foreach (var w in _waiters.Where(w => w.Match(line)).ToList())
            {
                w.Seen.TrySetResult(line);
                _waiters.Remove(w);
            }
        }
    }

    /// <summary>The first line (already printed or still to come) that matches; fails with the recent output after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        Task<string> seen;
        lock (_lines)
        {
            var done = _lines.FirstOrDefault(match);
            if (done is not null) return done;
            var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, tcs));
            seen = tcs.Task;
        }
        try
        {
            return await seen.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("expected output did not appear:\n" + string.Join('\n', Lines.TakeLast(40)));
        }
    }

    /// <summary>Sends SIGTERM and returns the exit code; kills the process if it does not exit in time.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("iot-actors did not exit after SIGTERM:\n" + string.Join('\n', Lines.TakeLast(40)));
        }
        _process.WaitForExit(); // flush the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself (no signal) and returns the exit code; kills it after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("iot-actors did not exit by itself:\n" + string.Join('\n', Lines.TakeLast(40)));
        }
        _process.WaitForExit(); // flush the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>
    /// The HTTP API's base address as the node logged it. Start the node with <c>--http-port 0</c> and read the
    /// port here: a port picked by the test and released before the node binds it can be taken meanwhile.
    /// </summary>
    public async Task<Uri> HttpApiAsync(TimeSpan timeout)
    {
        var line = await WaitForLineAsync(l => HttpApiLine().IsMatch(l), timeout);
        return new Uri(HttpApiLine().Match(line).Groups[1].Value);
    }

    [GeneratedRegex(@"HTTP API on (http://[0-9.]+:\d+)")]
    private static partial Regex HttpApiLine();

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
