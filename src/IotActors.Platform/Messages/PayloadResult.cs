using System.Diagnostics.CodeAnalysis;

namespace IotActors.Platform.Messages;

/// <summary>Outcome of a <see cref="PayloadReader"/> call: a typed payload or a failure with a reason. Never an exception.</summary>
public readonly struct PayloadResult<T>
    where T : class
{
    private PayloadResult(T? value, PayloadError error, string? reason)
    {
        Value = value;
        Error = error;
        Reason = reason;
    }

    /// <summary>The payload; set exactly when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary><see cref="PayloadError.None"/> on success.</summary>
    public PayloadError Error { get; }

    /// <summary>What is wrong, naming the field; null on success. Never contains field values.</summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsSuccess => Value is not null;

    public static PayloadResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), PayloadError.None, null);

    public static PayloadResult<T> Failure(PayloadError error, string reason) => new(null, error, reason);

    public static implicit operator PayloadResult<T>(PayloadFailure failure) => Failure(failure.Error, failure.Reason);

    public static implicit operator PayloadResult<T>(T value) => Success(value);

    public override string ToString() => IsSuccess ? Value.ToString() ?? typeof(T).Name : $"{Error}: {Reason}";
}
