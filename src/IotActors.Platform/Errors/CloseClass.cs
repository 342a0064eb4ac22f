namespace IotActors.Platform.Errors;

/// <summary>What a lost or refused connection means for the reconnect policy (spec §4).</summary>
public enum CloseClass
{
    /// <summary>Will likely pass by itself: reconnect with jittered exponential backoff.</summary>
    Transient,

    /// <summary>The platform rejected our credentials: alert, retry only slowly (≥ 60 s), refresh STS tokens first.</summary>
    Authentication,

    /// <summary>Retrying the same way cannot succeed (client bug or bad setting): alert and stop, or retry once at most.</summary>
    FatalConfig,
}
