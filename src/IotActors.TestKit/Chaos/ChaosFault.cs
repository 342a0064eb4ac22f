namespace IotActors.TestKit.Chaos;

/// <summary>
/// One kind of fault a <see cref="ChaosSchedule"/> can pick: how to inject it and how to heal it. Injection gets the
/// schedule's seeded random source, so what it picks (a node, a client ID, a condition) replays with the seed.
/// </summary>
/// <param name="Kind">Short name printed in the report, e.g. <c>network-reset</c>.</param>
/// <param name="Inject">Injects the fault; returns a one-line detail for the log (e.g. which node).</param>
/// <param name="Heal">Undoes it after the fault's hold time; null when there is nothing to undo (e.g. a reset).</param>
/// <param name="Weight">Relative chance of being picked. <b>Default:</b> 1.</param>
public sealed record ChaosFault(string Kind, Func<Random, Task<string>> Inject, Func<Task>? Heal = null, int Weight = 1)
{
    /// <summary>A fault that is a switch: <paramref name="on"/> when injected, <paramref name="off"/> when healed.</summary>
    public static ChaosFault Toggle(string kind, Action on, Action off, string detail = "", int weight = 1)
    {
        ArgumentNullException.ThrowIfNull(on);
        ArgumentNullException.ThrowIfNull(off);
        return new ChaosFault(kind, _ =>
        {
            on();
            return Task.FromResult(detail);
        }, () =>
        {
            off();
            return Task.CompletedTask;
        }, weight);
    }

    /// <summary>A one-shot fault (a reset, a kill): nothing to heal.</summary>
    public static ChaosFault Once(string kind, Func<Random, string> inject, int weight = 1)
    {
        ArgumentNullException.ThrowIfNull(inject);
        return new ChaosFault(kind, r => Task.FromResult(inject(r)), null, weight);
    }
}
