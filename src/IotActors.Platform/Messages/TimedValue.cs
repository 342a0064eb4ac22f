using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace IotActors.Platform.Messages;

/// <summary>One reported value of a TSL property or event with its time.</summary>
/// <param name="Value">The value as sent (number, string, object…), cloned so it outlives the body.</param>
/// <param name="Time">Epoch ms: the device's time, or the platform's receive time (<c>gmtCreate</c>) when the device sent none.</param>
public sealed record TimedValue(JsonElement Value, long Time)
{
    /// <summary>Reads <c>{"value":…,"time":…}</c>; <paramref name="path"/> names it in failure reasons.</summary>
    internal static bool TryRead(JsonElement item, FieldPath path, long? gmtCreate, PayloadFields owner, [NotNullWhen(true)] out TimedValue? value)
    {
        value = null;
        if (item.ValueKind != JsonValueKind.Object)
            return owner.Fail(PayloadError.WrongType, $"'{path}' must be an object, not {item.ValueKind}");

        var f = new PayloadFields(item, path);
        if (!f.RequiredValue("value", out var v) || !f.TimeOrFallback("time", gmtCreate, out var time))
            return owner.Fail(f.Failure);

        value = new TimedValue(v.Clone(), time);
        return true;
    }
}
