using System.Text;

namespace IotActors.Actors.Twin;

/// <summary>The text of a value the twin keeps, read from the body's UTF-8.</summary>
internal static class TwinText
{
    // Longer values are decoded into a string first and compared after.
    private const int StackChars = 512;

    /// <summary>
    /// The text of <paramref name="utf8"/> (valid UTF-8); <paramref name="current"/> itself when it is the same text.
    /// Devices resend unchanged values (switches, modes, settings): the twin then keeps the string it has instead of a
    /// new copy for the collector to promote.
    /// </summary>
    public static string Read(ReadOnlySpan<byte> utf8, string? current)
    {
        if (utf8.Length > StackChars)
        {
            var text = Encoding.UTF8.GetString(utf8);
            return text == current ? current : text;
        }
        // Sized to the value (UTF-8 never decodes to more chars than bytes): the stack buffer is zeroed on every call.
        Span<char> chars = stackalloc char[utf8.Length];
        var decoded = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        return current is not null && decoded.SequenceEqual(current) ? current : new string(decoded);
    }
}
