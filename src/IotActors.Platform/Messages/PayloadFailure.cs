namespace IotActors.Platform.Messages;

/// <summary>A failed read, independent of the payload type; converts implicitly to any <see cref="PayloadResult{T}"/>.</summary>
public readonly record struct PayloadFailure(PayloadError Error, string Reason)
{
    public override string ToString() => $"{Error}: {Reason}";
}
