namespace IotActors.Host.Cli;

/// <summary>
/// Everything <c>check</c> prints goes through here: results to the output writer, problems to the error
/// writer, and every line with the secret, the computed password and any STS token replaced by <c>***</c>,
/// as a last guard in case a library ever echoes one.
/// </summary>
internal sealed class CheckOutput(TextWriter output, TextWriter error)
{
    private readonly List<string> _secrets = [];

    /// <summary>
    /// Values this short are not masked: nothing prints a secret anyway, and masking "tok" would garble
    /// "ststoken". Real AccessKey secrets are 30 characters, STS tokens hundreds.
    /// </summary>
    private const int ShortestMasked = 8;

    /// <summary>Adds a value that must never be printed.</summary>
    public void Conceal(string? secret)
    {
        if (secret is { Length: >= ShortestMasked } && !_secrets.Contains(secret, StringComparer.Ordinal)) _secrets.Add(secret);
    }

    /// <summary>A result line, to the output writer (stdout).</summary>
    public void Line(string text) => output.WriteLine(Redact(text));

    /// <summary>A problem line, to the error writer (stderr).</summary>
    public void Error(string text) => error.WriteLine(Redact(text));

    /// <summary>Each finding on one line; numbered causes under the finding they explain.</summary>
    public void Findings(IReadOnlyList<CheckFinding> findings)
    {
        var cause = 0;
        foreach (var f in findings)
        {
            var hint = f.Hint is null ? "" : " — hint: " + f.Hint;
            if (f.IsCause) Error($"  {++cause}. {f.What}{hint}");
            else
            {
                cause = 0;
                Error($"FAIL [{f.Stage}] {f.What}{hint}");
            }
        }
    }

    private string Redact(string text)
    {
        // Longest first, so a secret that contains another is masked whole.
        foreach (var secret in _secrets.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }
}
