using System.Collections.Immutable;

namespace IotActors.TestKit.Invariants;

/// <summary>
/// A behavior's state plus the messageIds it applied, in order: what the invariant checkers read. Persisted with the
/// state, so it survives passivation, crashes and moves between nodes exactly as the state does.
/// </summary>
/// <param name="State">The wrapped behavior's state.</param>
/// <param name="Applied">Every messageId applied to <paramref name="State"/>, oldest first.</param>
public sealed record Ledger<TState>(TState State, ImmutableList<string> Applied)
    where TState : notnull;
