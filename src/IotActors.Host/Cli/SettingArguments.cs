namespace IotActors.Host.Cli;

/// <summary>
/// Picks configuration settings (<c>--Platform:Host=x</c>, <c>--Embedded:Devices 10</c>) out of the tokens a
/// command did not match, for the configuration's command-line layer; anything else is a problem, reported
/// without echoing the token (it may be a mistyped secret).
/// </summary>
internal static class SettingArguments
{
    /// <summary>
    /// Arguments the command does not know must be settings: <c>--Section:Key=value</c>,
    /// <c>--Section:Key value</c> or <c>Section:Key=value</c>. Anything else is reported without its value,
    /// which may be a mistyped secret.
    /// </summary>
    public static List<string> Extract(IReadOnlyList<string> tokens, List<string> problems)
    {
        var args = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var prefix = token.StartsWith("--", StringComparison.Ordinal) ? "--" : token.StartsWith('/') || token.StartsWith('-') ? token[..1] : "";
            var body = token[prefix.Length..];
            var eq = body.IndexOf('=');
            var key = eq < 0 ? body : body[..eq];
            // A single dash is a short switch to the configuration's command-line reader, which refuses it.
            var isSetting = key.Contains(':', StringComparison.Ordinal) && (prefix is "--" or "/" || (prefix.Length == 0 && eq > 0));
            var takesNext = eq < 0 && prefix.Length > 0 && i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-');
            if (isSetting)
            {
                args.Add(token);
                if (takesNext) args.Add(tokens[++i]);
                continue;
            }

            problems.Add(prefix.Length > 0
                ? $"unknown option '{prefix}{key}'; see --help, or give a setting as --Platform:Key=value."
                : "an argument is neither an option nor a setting (not shown: it may be a secret); give settings as --Platform:Key=value.");
            if (takesNext) i++;
        }
        return args;
    }
}
