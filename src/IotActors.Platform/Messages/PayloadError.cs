namespace IotActors.Platform.Messages;

/// <summary>Why a payload could not be read; the message is parked with this reason, the pipeline goes on.</summary>
public enum PayloadError
{
    None,

    /// <summary>The body has no bytes.</summary>
    EmptyBody,

    /// <summary>The body is not valid UTF-8 (e.g. a binary custom payload read as JSON).</summary>
    NotUtf8,

    /// <summary>Valid UTF-8 but not JSON, truncated, or nested too deep.</summary>
    MalformedJson,

    /// <summary>JSON, but the top level is an array, string, number…</summary>
    NotAnObject,

    /// <summary>A required field is absent, null or an empty string.</summary>
    MissingField,

    /// <summary>A field has the wrong JSON type (e.g. <c>"status": 5</c>).</summary>
    WrongType,

    /// <summary>Right type, unusable value (unknown enum text, unparseable time).</summary>
    InvalidValue,
}
