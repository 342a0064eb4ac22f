using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using IotActors.Actors.Persistence;
using IotActors.Platform.Messages;
using Microsoft.Extensions.Logging;

namespace IotActors.Host.Http;

/// <summary>
/// The devices this system knows, read from the device journal: every persistence ID of the form
/// <c>device-{productKey}/{deviceName}</c> (what <c>DeviceActor.PersistenceIdOf</c> writes), filtered by
/// product, sorted by productKey then deviceName (ordinal), one page at a time.
/// </summary>
/// <remarks>
/// <para>A device appears once it has persisted an event (a message applied, parked or dropped as a
/// duplicate); one that was only asked about, or whose messages never reached the journal, does not.</para>
/// <para>Each call reads every persistence ID (Akka.Persistence.Query's <c>CurrentPersistenceIds</c> over the
/// SQL journal: one <c>SELECT DISTINCT</c>), then filters, sorts and pages in memory: fine for tens of
/// thousands of devices, not meant for millions.</para>
/// <para>The in-memory journal has no query plugin here (Akka.Persistence.Query.InMemory is not a dependency);
/// Akka's <see cref="MemoryJournal"/> answers the same question itself, which is what that plugin asks it.</para>
/// </remarks>
public sealed class DeviceDirectory(ActorSystem system, DevicePersistenceProvider provider, ILogger<DeviceDirectory> logger) : IDisposable
{
    /// <summary>Prefix of a device's persistence ID; the rest is <c>productKey/deviceName</c>.</summary>
    public const string PersistenceIdPrefix = "device-";

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    // One materializer for the directory's lifetime: each ActorMaterializer is an actor of its own.
    private readonly Lazy<ActorMaterializer> _materializer = new(() => ActorMaterializer.Create(system, namePrefix: "device-directory"));

    /// <summary>One page of the known devices, and how many match in all.</summary>
    /// <exception cref="DeviceJournalUnavailableException">The journal could not be read in time.</exception>
    public async Task<DevicePage> ListAsync(DeviceListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyCollection<string> ids;
        try
        {
            ids = await PersistenceIdsAsync().WaitAsync(QueryTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Listing devices: the device journal could not be read");
            throw new DeviceJournalUnavailableException(e is TimeoutException
                ? $"the device journal did not answer within {QueryTimeout.TotalSeconds:0} s"
                : "the device journal could not be read (see the node's log)");
        }

        var matching = ids
            .Select(DeviceOf)
            .OfType<DeviceId>()
            .Where(d => query.Product is null || string.Equals(d.ProductKey, query.Product, StringComparison.Ordinal))
            .Distinct()
            .Order(DeviceOrder.Instance)
            .ToList();
        var skip = (long)(query.Page - 1) * query.PageSize;
        var page = skip >= matching.Count ? [] : matching.Skip((int)skip).Take(query.PageSize).ToList();
        return new DevicePage(query.Product, query.Page, query.PageSize, matching.Count, page);
    }

    /// <summary>The device behind a persistence ID, or null for any other persistent actor's ID.</summary>
    public static DeviceId? DeviceOf(string persistenceId) =>
        persistenceId.StartsWith(PersistenceIdPrefix, StringComparison.Ordinal) && DeviceId.TryParse(persistenceId[PersistenceIdPrefix.Length..], out var device)
            ? device
            : null;

    private async Task<IReadOnlyCollection<string>> PersistenceIdsAsync()
    {
        if (provider == DevicePersistenceProvider.InMemory)
        {
            var journal = Persistence.Instance.Apply(system).JournalFor(null);
            Func<IActorRef, object> request = replyTo => new MemoryJournal.SelectCurrentPersistenceIds(0, replyTo);
            var answer = await journal.Ask<MemoryJournal.CurrentPersistenceIds>(request, QueryTimeout, CancellationToken.None);
            return answer.AllPersistenceIds.ToList();
        }

        // WithSqlPersistence registers the read journal under its default identifier, next to the journal.
        var readJournal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        return await readJournal.CurrentPersistenceIds()
            .Where(id => id.StartsWith(PersistenceIdPrefix, StringComparison.Ordinal))
            .RunWith(Sink.Seq<string>(), _materializer.Value);
    }

    public void Dispose()
    {
        if (_materializer.IsValueCreated) _materializer.Value.Dispose();
    }

    private sealed class DeviceOrder : IComparer<DeviceId>
    {
        public static readonly DeviceOrder Instance = new();

        public int Compare(DeviceId x, DeviceId y)
        {
            var byProduct = string.CompareOrdinal(x.ProductKey, y.ProductKey);
            return byProduct != 0 ? byProduct : string.CompareOrdinal(x.DeviceName, y.DeviceName);
        }
    }
}

/// <summary>One page of <see cref="DeviceDirectory.ListAsync"/>: <paramref name="Total"/> counts every matching device.</summary>
public sealed record DevicePage(string? Product, int Page, int PageSize, int Total, IReadOnlyList<DeviceId> Devices);

/// <summary>The device journal could not be read; <see cref="Exception.Message"/> is safe to show (no connection string).</summary>
public sealed class DeviceJournalUnavailableException(string message) : Exception(message);
