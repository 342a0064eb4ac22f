using Akka.Actor;
using Akka.Configuration;

namespace IotActors.Actors.Persistence.Sqlite;

/// <summary>
/// The actor system's one <see cref="SqliteGroupCommitWriter"/>, shared by the journal and the snapshot store so that
/// every write to the SQLite file goes through one connection: two writers of one file would wait for each other's
/// write lock, and a waiting SQLite call sleeps on the thread that made it. Stopped (after committing what is queued)
/// when the actor system terminates, as are the read connections (<see cref="Readers"/>) recovery uses and the
/// background checkpoints (<see cref="Checkpointer"/>).
/// </summary>
internal sealed class SqliteWriterExtension : IExtension
{
    public SqliteWriterExtension(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<SqliteJournalSetup>();
        if (!setup.HasValue)
            throw new ConfigurationException($"The SQLite group-commit journal needs a {nameof(SqliteJournalSetup)}, which WithDevicePersistence registers.");
        Writer = new SqliteGroupCommitWriter(setup.Value.ConnectionString, setup.Value.WriterOnOpen, setup.Value.MaxBatchRows);
        Readers = new SqliteReaders(setup.Value.ConnectionString, setup.Value.OnOpen);
        var writer = Writer;
        Checkpointer = setup.Value.BackgroundCheckpoints ? new SqliteCheckpointer(setup.Value.ConnectionString, setup.Value.OnOpen, () => writer.Commits) : null;
        system.RegisterOnTermination(() =>
        {
            Checkpointer?.Dispose();
            Writer.Dispose();
            Readers.Dispose();
        });
    }

    public SqliteGroupCommitWriter Writer { get; }

    public SqliteReaders Readers { get; }

    /// <summary>The log's background checkpoints; null when the writer's own checkpoints are the only ones.</summary>
    public SqliteCheckpointer? Checkpointer { get; }

    public static SqliteWriterExtension For(ActorSystem system) => system.WithExtension<SqliteWriterExtension, SqliteWriterExtensionId>();
}

/// <summary>Akka's handle on <see cref="SqliteWriterExtension"/>.</summary>
internal sealed class SqliteWriterExtensionId : ExtensionIdProvider<SqliteWriterExtension>
{
    public override SqliteWriterExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
