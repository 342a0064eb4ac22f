using Akka.Actor.Setup;
using LinqToDB;

namespace IotActors.Actors.Persistence;

/// <summary>
/// How <see cref="GuardedSqlWriteJournal"/> connects to install <see cref="StaleWriteGuard"/>: the same connection
/// options the plugin gets (for SQLite with the store's pragmas), handed over as an actor-system setup so that a
/// connection string never passes through HOCON, which Akka can log.
/// </summary>
internal sealed class StaleWriteGuardSetup(DataOptions connection) : Setup
{
    public DataOptions Connection { get; } = connection;
}
