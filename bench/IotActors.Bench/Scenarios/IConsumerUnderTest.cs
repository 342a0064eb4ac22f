namespace IotActors.Bench.Scenarios;

/// <summary>One scenario's consumer, started against the bench emulator for one cell.</summary>
public interface IConsumerUnderTest : IAsyncDisposable
{
    /// <summary>Opens every connection; attachment is confirmed by the caller on the emulator's side.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Counters worth showing next to the figures (e.g. deliveries the pipeline released), read at the end.</summary>
    IReadOnlyDictionary<string, long> Counters();
}
