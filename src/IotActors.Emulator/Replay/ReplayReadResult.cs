namespace IotActors.Emulator.Replay;

/// <summary>What a lenient read of a replay file gave: the good lines as messages (file order) and one error per bad line.</summary>
public sealed record ReplayReadResult(IReadOnlyList<EmulatedMessage> Messages, IReadOnlyList<ReplayLineError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>One line of a replay file that could not be read.</summary>
/// <param name="Source">The file path (or the name given for a reader).</param>
/// <param name="LineNumber">1-based, counting blank and comment lines.</param>
/// <param name="Problem">What is wrong with the line, in words.</param>
public sealed record ReplayLineError(string Source, int LineNumber, string Problem)
{
    public override string ToString() => $"{Source}:{LineNumber}: {Problem}";
}

/// <summary>Thrown by a strict read at the first bad line.</summary>
public sealed class ReplayFormatException(ReplayLineError error) : FormatException(error.ToString())
{
    public ReplayLineError Error { get; } = error;
}
