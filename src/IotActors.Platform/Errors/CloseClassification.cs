namespace IotActors.Platform.Errors;

/// <summary>The verdict on one close: the class drives the reconnect policy, the rest goes into the log and the alert.</summary>
/// <param name="Class">How to react.</param>
/// <param name="Reason">What happened, e.g. <c>amqp:unauthorized-access: Sasl negotiation failed with code Auth.</c> Safe to log.</param>
/// <param name="Hint">What an operator should check, when there is something to check.</param>
public sealed record CloseClassification(CloseClass Class, string Reason, string? Hint);
