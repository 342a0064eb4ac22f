using System.Collections.Immutable;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal;
using LinqToDB;
using LinqToDB.Data;

namespace IotActors.Actors.Persistence;

/// <summary>
/// Akka.Persistence.Sql's journal with <see cref="StaleWriteGuard"/> installed on its table before its first write.
/// Without <c>auto-initialize</c> the tables are someone else's, and so is the guard (<c>docs/configuration.md</c>
/// gives its SQL).
/// </summary>
public class GuardedSqlWriteJournal : SqlWriteJournal
{
    private readonly DataOptions _connection;
    private bool _guarded;

    /// <summary>Made by Akka from the <c>akka.persistence.journal.sql</c> section.</summary>
    public GuardedSqlWriteJournal(Config journalConfig) : this(journalConfig, Configured(journalConfig))
    {
    }

    /// <summary>
    /// For a journal that gives the plugin's base class another section than its own (<paramref name="pluginSection"/>,
    /// made from <paramref name="settings"/>); <see cref="Settings"/> stay the configured ones.
    /// </summary>
    protected GuardedSqlWriteJournal(Config pluginSection, JournalConfig settings) : base(pluginSection)
    {
        Settings = settings;
        var setup = Context.System.Settings.Setup.Get<StaleWriteGuardSetup>();
        _connection = setup.HasValue
            ? setup.Value.Connection
            : new DataOptions().UseConnectionString(Settings.ProviderName, Settings.ConnectionString);
        _guarded = !Settings.AutoInitialize || !StaleWriteGuard.Supports(Settings.ProviderName);
    }

    /// <summary>The plugin's settings of this journal, as its own section and defaults give them.</summary>
    protected JournalConfig Settings { get; }

    /// <summary>The plugin's settings as <paramref name="journalConfig"/> (the journal's section) and the plugin's defaults give them.</summary>
    protected static JournalConfig Configured(Config journalConfig) =>
        new(journalConfig.WithFallback(SqlPersistence.DefaultJournalConfiguration));

    /// <inheritdoc />
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken) =>
        GuardFailure() ?? base.WriteMessagesAsync(messages, cancellationToken);

    /// <summary>Installs the guard if needed (<see cref="EnsureGuarded"/>): null when it is in place, else the failed write to return.</summary>
    private Task<IImmutableList<Exception>>? GuardFailure()
    {
        try
        {
            EnsureGuarded();
            return null;
        }
        catch (Exception error)
        {
            return Task.FromException<IImmutableList<Exception>>(error);
        }
    }

    /// <summary>
    /// Installs the guard unless done: once per journal incarnation, on the journal's thread, before the first write.
    /// The first write comes after the plugin created its tables (it stashes requests until then), and the plugin's write
    /// path must be entered on this thread, so the installation (one small idempotent DDL transaction) blocks here once
    /// rather than making writes wait on a task. A failure fails the write (its actors stop, their messages are
    /// redelivered) and the next write tries again: no write goes unguarded.
    /// </summary>
    private void EnsureGuarded()
    {
        if (_guarded) return;
        var sql = StaleWriteGuard.Sql(Settings.ProviderName, Settings.TableConfig);
        using (var connection = new DataConnection(_connection))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(sql);
            transaction.Commit();
        }
        _guarded = true;
    }
}
