using System.Globalization;
using System.Text.Json;

namespace IotActors.Emulator.Tests.Peers;

/// <summary>
/// Drives the Qpid Proton scripts in <c>Peers/scripts/</c> (copied next to the test assembly):
/// an AMQP 1.0 client nobody here wrote, to check our emulator and receiver against. Every run is
/// bounded: the script's own <c>--timeout</c> plus a margin, after which the process is killed.
/// Call <see cref="RealPeers.RequireProton"/> first.
/// </summary>
public static class ProtonClient
{
    /// <summary>Exit codes shared by both scripts.</summary>
    public const int ExitOk = 0, ExitBadArguments = 2, ExitTimeout = 3, ExitError = 4, ExitAuthenticationFailed = 5;

    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    public static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, "Peers", "scripts", name);

    /// <summary>Sends <see cref="ProtonSendOptions.Count"/> platform-shaped messages and waits until the peer settled all of them.</summary>
    public static async Task<ProtonSendResult> SendAsync(ProtonSendOptions options, CancellationToken cancellationToken = default)
    {
        var args = new List<string>
        {
            ScriptPath("proton_send.py"),
            "--url", options.Url,
            "--address", options.Address,
            "--user", options.User,
            "--password", options.Password,
            "--count", Text(options.Count),
            "--topic", options.Topic,
            "--message-id-base", Text(options.MessageIdBase),
            "--timeout", Text(options.Timeout.TotalSeconds),
        };
        if (options.GenerateTime is { } generateTime)
        {
            args.AddRange(["--generate-time", Text(generateTime)]);
        }
        var result = await PeerProcess.RunAsync(RealPeers.ProtonPython, args, options.Timeout + Margin, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ProtonSendResult(result);
    }

    /// <summary>Receives and explicitly accepts <see cref="ProtonReceiveOptions.Count"/> messages; one parsed record per message.</summary>
    public static async Task<ProtonReceiveResult> ReceiveAsync(ProtonReceiveOptions options, CancellationToken cancellationToken = default)
    {
        var args = new List<string>
        {
            ScriptPath("proton_receive.py"),
            "--url", options.Url,
            "--count", Text(options.Count),
            "--credit", Text(options.Credit),
            "--heartbeat", Text(options.Heartbeat.TotalSeconds),
            "--timeout", Text(options.Timeout.TotalSeconds),
        };
        if (options.CaPemPath is { } ca)
        {
            args.AddRange(["--ca", ca]);
        }
        if (options.Address is { } address)
        {
            args.AddRange(["--address", address]);
        }
        AddCredentials(args, options.User, options.Password, options.Signing);
        var result = await PeerProcess.RunAsync(RealPeers.ProtonPython, args, options.Timeout + Margin, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ProtonReceiveResult(result);
    }

    /// <summary>The userName and password the Python signer computes (spec §1.3/§1.4), without connecting.</summary>
    public static async Task<(string UserName, string Password)> SignAsync(ProtonSigning signing, CancellationToken cancellationToken = default)
    {
        var args = new List<string> { ScriptPath("proton_receive.py"), "--url", "unused", "--print-credentials" };
        AddCredentials(args, null, null, signing);
        var result = await PeerProcess.RunAsync(RealPeers.ProtonPython, args, Margin, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded || result.StdOut.Count != 1)
        {
            throw new InvalidOperationException(result.Describe());
        }
        using var json = JsonDocument.Parse(result.StdOut[0]);
        return (json.RootElement.GetProperty("userName").GetString()!, json.RootElement.GetProperty("password").GetString()!);
    }

    private static void AddCredentials(List<string> args, string? user, string? password, ProtonSigning? signing)
    {
        if (signing is not null)
        {
            args.AddRange(
            [
                "--access-key-id", signing.AccessKeyId,
                "--access-key-secret", signing.AccessKeySecret,
                "--consumer-group", signing.ConsumerGroupId,
                "--client-id", signing.ClientId,
                "--sign-method", signing.SignMethod,
                "--auth-mode", signing.AuthMode,
            ]);
            if (signing.IotInstanceId is { } instance) args.AddRange(["--instance-id", instance]);
            if (signing.SecurityToken is { } token) args.AddRange(["--security-token", token]);
            if (signing.Timestamp is { } timestamp) args.AddRange(["--timestamp", Text(timestamp)]);
        }
        else if (user is not null && password is not null)
        {
            args.AddRange(["--user", user, "--password", password]);
        }
        else
        {
            throw new ArgumentException("give User and Password, or Signing");
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Options of <c>proton_send.py</c>.</summary>
public sealed record ProtonSendOptions(string Url, string Address, int Count)
{
    public string User { get; init; } = "guest";

    public string Password { get; init; } = "guest";

    /// <summary>Python format template; <c>{i}</c> is the message index from 0.</summary>
    public string Topic { get; init; } = "/a1Peer000/dev-{i:05d}/thing/event/property/post";

    /// <summary>Message <c>i</c> gets messageId <c>MessageIdBase + i</c> (also as the standard message-id).</summary>
    public long MessageIdBase { get; init; } = 1_700_000_000_000_000_000;

    /// <summary>generateTime of message 0 (message <c>i</c> gets +i); null = the script's current time.</summary>
    public long? GenerateTime { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>How <c>proton_send.py</c> ended: settlement counts from its summary line.</summary>
public sealed class ProtonSendResult(ProcessResult process)
{
    public ProcessResult Process { get; } = process;

    public IReadOnlyDictionary<string, int> Counts { get; } = process.StdOut
        .Where(l => l.StartsWith("sent=", StringComparison.Ordinal))
        .SelectMany(l => l.Split(' '))
        .Select(pair => pair.Split('='))
        .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));

    public int Accepted => Counts.GetValueOrDefault("accepted");
}

/// <summary>Signing inputs of spec §1.3/§1.4, given to the Python signer.</summary>
public sealed record ProtonSigning(string AccessKeyId, string AccessKeySecret, string ConsumerGroupId, string ClientId)
{
    /// <summary>Sent as given (case kept): <c>hmacmd5</c>, <c>hmacsha1</c> or <c>hmacsha256</c>.</summary>
    public string SignMethod { get; init; } = "hmacsha256";

    public string AuthMode { get; init; } = "aksign";

    public string? IotInstanceId { get; init; }

    public string? SecurityToken { get; init; }

    /// <summary>Epoch ms to sign; null = the script's current time.</summary>
    public long? Timestamp { get; init; }
}

/// <summary>Options of <c>proton_receive.py</c>. For TLS use <c>amqps://localhost:PORT</c> and <see cref="CaPemPath"/>.</summary>
public sealed record ProtonReceiveOptions(string Url, int Count)
{
    public string? CaPemPath { get; init; }

    /// <summary>Source address of the receiver link; the platform ignores it, RabbitMQ needs e.g. <c>/amq/queue/NAME</c>.</summary>
    public string? Address { get; init; }

    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>When set, the script signs its own credentials and ignores <see cref="User"/>/<see cref="Password"/>.</summary>
    public ProtonSigning? Signing { get; init; }

    public int Credit { get; init; } = 20;

    /// <summary>
    /// Proton's heartbeat. Proton 0.37 puts HALF of it in the open frame's idle-time-out (verified:
    /// 60 s gives 30,000 ms, the platform's lower bound), so the default 120 s sends 60,000 ms.
    /// </summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>One message as <c>proton_receive.py</c> saw it, before accepting it.</summary>
/// <param name="GenerateTimeType">The AMQP type proton decoded <c>generateTime</c> from: <c>long</c>, <c>int</c>, <c>ulong</c>, <c>string</c>, <c>timestamp</c>…</param>
/// <param name="BodySection"><c>data</c> for an AMQP data section (what the platform sends), <c>value</c> for amqp-value.</param>
public sealed record ProtonReceivedMessage(
    string? MessageId,
    string MessageIdType,
    string? Topic,
    JsonElement GenerateTime,
    string GenerateTimeType,
    string? StandardMessageId,
    string BodySection,
    byte[] Body);

/// <summary>How <c>proton_receive.py</c> ended and what it received.</summary>
public sealed class ProtonReceiveResult
{
    public ProtonReceiveResult(ProcessResult process)
    {
        Process = process;
        var messages = new List<ProtonReceivedMessage>();
        foreach (var line in process.StdOut)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("summary", out var summary))
            {
                Received = summary.GetProperty("received").GetInt32();
                Accepted = summary.GetProperty("accepted").GetInt32();
                continue;
            }
            messages.Add(new ProtonReceivedMessage(
                root.GetProperty("messageId").GetString(),
                root.GetProperty("messageIdType").GetString()!,
                root.GetProperty("topic").GetString(),
                root.GetProperty("generateTime").Clone(),
                root.GetProperty("generateTimeType").GetString()!,
                root.GetProperty("standardMessageId").GetString(),
                root.GetProperty("bodySection").GetString()!,
                Convert.FromBase64String(root.GetProperty("bodyBase64").GetString()!)));
        }
        Messages = messages;
    }

    public ProcessResult Process { get; }

    public IReadOnlyList<ProtonReceivedMessage> Messages { get; }

    public int Received { get; }

    public int Accepted { get; }
}
