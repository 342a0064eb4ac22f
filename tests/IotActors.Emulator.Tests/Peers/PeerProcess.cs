using System.Collections.Concurrent;
using System.Diagnostics;

namespace IotActors.Emulator.Tests.Peers;

/// <summary>What a finished (or timed-out) helper process printed and how it ended.</summary>
/// <param name="ExitCode">The exit code; -1 when it was killed on timeout.</param>
public sealed record ProcessResult(string Command, int ExitCode, bool TimedOut, IReadOnlyList<string> StdOut, IReadOnlyList<string> StdErr)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>Everything needed to understand a failure, for assertion messages.</summary>
    public string Describe() =>
        $"`{Command}` {(TimedOut ? "timed out" : $"exited {ExitCode}")}\n--- stdout ---\n{string.Join('\n', StdOut)}\n--- stderr ---\n{string.Join('\n', StdErr)}";
}

/// <summary>Runs a helper program with captured output and a hard time limit; on timeout the whole process tree is killed.</summary>
public static class PeerProcess
{
    /// <summary>How long to wait for output to reach end-of-file after the process exited (a daemon it started may hold the pipe).</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var command = string.Join(' ', info.ArgumentList.Prepend(fileName));

        var stdout = new ConcurrentQueue<string>();
        var stderr = new ConcurrentQueue<string>();
        var stdoutClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => { if (e.Data is null) stdoutClosed.TrySetResult(); else stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) stderrClosed.TrySetResult(); else stderr.Enqueue(e.Data); };

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = false;
        try
        {
            await exited.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        if (!timedOut)
        {
            await Task.WhenAny(Task.WhenAll(stdoutClosed.Task, stderrClosed.Task), Task.Delay(OutputGrace, cancellationToken)).ConfigureAwait(false);
        }
        return new ProcessResult(command, timedOut ? -1 : process.ExitCode, timedOut, stdout.ToArray(), stderr.ToArray());
    }
}
