using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace IotActors.Platform.Messages;

/// <summary>
/// Typed access to the fields of one JSON object that remembers the first problem, so a payload
/// reader is a chain of <c>&amp;&amp;</c> reads followed by <c>return fields.Failure</c>.
/// </summary>
/// <remarks>
/// Shared rules, so every payload behaves alike:
/// <list type="bullet">
/// <item>Names are matched exactly (the platform writes camelCase); unknown fields are ignored.</item>
/// <item>Absent, <c>null</c> and, for strings, <c>""</c> all mean "not there": a required field fails
/// with <see cref="PayloadError.MissingField"/>, an optional one reads as null.</item>
/// <item>Present with the wrong JSON type fails with <see cref="PayloadError.WrongType"/>, also for optional
/// fields: a payload that disagrees with the spec is parked rather than half-read.</item>
/// <item>Integers accept a JSON number or a decimal string, because community code shows both for
/// epoch-millisecond fields.</item>
/// <item>Reasons name the field, never its value: bodies can carry personal data or secrets.</item>
/// </list>
/// </remarks>
internal sealed class PayloadFields
{
    private readonly JsonElement _object;
    private readonly FieldPath _path;

    /// <param name="obj">Must be a JSON object.</param>
    /// <param name="path">Where a nested object sits, for reasons (<c>items.Temperature.value</c>); the root by default.</param>
    public PayloadFields(JsonElement obj, FieldPath path = default)
    {
        _object = obj;
        _path = path;
    }

    /// <summary>The field's full name for a reason (only built when one is).</summary>
    private string Named(string name) => _path.FieldPrefix() + name;

    /// <summary>The first problem met; meaningful once a read has returned false.</summary>
    public PayloadFailure Failure { get; private set; }

    public bool RequiredString(string name, [NotNullWhen(true)] out string? value) =>
        OptionalString(name, out value) && (value is not null || Missing(name));

    public bool OptionalString(string name, out string? value)
    {
        value = null;
        if (!TryGet(name, out var e)) return true;
        if (e.ValueKind != JsonValueKind.String) return WrongType(name, "a string", e);
        var text = e.GetString();
        value = string.IsNullOrEmpty(text) ? null : text;
        return true;
    }

    /// <summary>A string or a number, kept as text: IDs such as <c>requestId</c> are strings by spec but numbers in some clients.</summary>
    public bool OptionalId(string name, out string? value)
    {
        value = null;
        if (!TryGet(name, out var e)) return true;
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                var text = e.GetString();
                value = string.IsNullOrEmpty(text) ? null : text;
                return true;
            case JsonValueKind.Number:
                value = e.GetRawText();
                return true;
            default:
                return WrongType(name, "a string or number", e);
        }
    }

    public bool RequiredInt64(string name, out long value)
    {
        value = 0;
        if (!OptionalInt64(name, out var v)) return false;
        if (v is not { } x) return Missing(name);
        value = x;
        return true;
    }

    /// <summary>
    /// An epoch-ms time that falls back to <paramref name="fallback"/> (the payload's <c>gmtCreate</c>,
    /// i.e. when the platform received it) when the device sent none.
    /// </summary>
    public bool TimeOrFallback(string name, long? fallback, out long value)
    {
        value = 0;
        if (!OptionalInt64(name, out var v)) return false;
        if ((v ?? fallback) is not { } x) return Fail(PayloadError.MissingField, $"'{Named(name)}' is missing and there is no 'gmtCreate' to fall back on");
        value = x;
        return true;
    }

    public bool OptionalInt64(string name, out long? value)
    {
        value = null;
        if (!TryGet(name, out var e)) return true;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n)) { value = n; return true; }
        if (e.ValueKind == JsonValueKind.String
            && long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) { value = n; return true; }
        return WrongType(name, "an integer", e);
    }

    public bool RequiredInt32(string name, out int value)
    {
        value = 0;
        if (!OptionalInt64(name, out var v)) return false;
        if (v is not { } x) return Missing(name);
        if (x is < int.MinValue or > int.MaxValue) return Fail(PayloadError.InvalidValue, $"'{Named(name)}' is out of range");
        value = (int)x;
        return true;
    }

    /// <summary>Any JSON value, JSON <c>null</c> included; only absence fails. The caller clones what it keeps.</summary>
    public bool RequiredValue(string name, out JsonElement value) =>
        _object.TryGetProperty(name, out value) || Missing(name);

    /// <summary>Any JSON value; absent or <c>null</c> reads as null.</summary>
    public bool OptionalValue(string name, out JsonElement? value)
    {
        value = TryGet(name, out var e) ? e : null;
        return true;
    }

    public bool RequiredObject(string name, out JsonElement value) =>
        RequiredOfKind(name, JsonValueKind.Object, "an object", out value);

    public bool RequiredArray(string name, out JsonElement value) =>
        RequiredOfKind(name, JsonValueKind.Array, "an array", out value);

    /// <summary>A string mapped through <paramref name="parse"/>; unknown text fails with <see cref="PayloadError.InvalidValue"/>.</summary>
    public bool RequiredEnum<TEnum>(string name, Func<string, TEnum?> parse, string allowed, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (!RequiredString(name, out var text)) return false;
        if (parse(text) is not { } parsed) return Fail(PayloadError.InvalidValue, $"'{Named(name)}' must be one of {allowed}");
        value = parsed;
        return true;
    }

    /// <summary>Records a failure found by the caller (e.g. in a nested object) and returns false.</summary>
    public bool Fail(PayloadError error, string reason)
    {
        Failure = new PayloadFailure(error, reason);
        return false;
    }

    /// <summary>Adopts a nested reader's failure and returns false.</summary>
    public bool Fail(PayloadFailure failure) => Fail(failure.Error, failure.Reason);

    public bool Missing(string name) => Fail(PayloadError.MissingField, $"'{Named(name)}' is missing");

    private bool RequiredOfKind(string name, JsonValueKind kind, string expected, out JsonElement value)
    {
        if (!TryGet(name, out value)) return Missing(name);
        return value.ValueKind == kind || WrongType(name, expected, value);
    }

    private bool TryGet(string name, out JsonElement value) =>
        _object.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private bool WrongType(string name, string expected, JsonElement actual) =>
        Fail(PayloadError.WrongType, $"'{Named(name)}' must be {expected}, not {actual.ValueKind}");
}
