using System.Net;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Caching.Memory;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// The event log: one document per event, id <c>{streamId}|{version}</c>. Uniqueness of ids within a partition is the
/// concurrency check, so no read-modify-write and no stored procedure is needed.
/// </summary>
public sealed class CosmosEventStore(CosmosContainers containers) : IEventStore, IDisposable
{
    // The highest version of each stream this process has seen in the log, by reading or writing it. Events are never
    // deleted, so a version once seen still exists: an append right after its stream was read needs no second look at
    // its predecessor. Nothing is taken from the caller; a version not seen here is checked in the log.
    private readonly MemoryCache _seen = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    private readonly CosmosProjectLog _projectLog = new(containers);

    private Container Log => containers.EventLog;

    public async Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        EventStoreGuards.CheckAppend(streamId, expectedVersion, events);
        var partition = new PartitionKey(streamId);
        if (events.Count > 1)
        {
            await AppendBatchAsync(streamId, expectedVersion, events, partition, ct);
            return 0;
        }

        // The one-event path every command takes. Version N exists only if N-1 did when it was written, so knowing the
        // predecessor exists (seen here, or read now) rules out a gap; the create's 409 rules out a second writer of the same version.
        if (expectedVersion > Seen(streamId) && !await ExistsAsync(CosmosEventDocument.IdOf(streamId, expectedVersion), partition, ct))
            throw new ConcurrencyException(streamId, expectedVersion);
        try
        {
            await Log.CreateItemAsync(CosmosEventDocument.From(events[0]), partition,
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConcurrencyException(streamId, expectedVersion);
        }
        See(streamId, events[0].Version);
        return 0;
    }

    private int Seen(string streamId) => _seen.TryGetValue(streamId, out int version) ? version : 0;

    private void See(string streamId, int version)
    {
        if (version > Seen(streamId)) _seen.Set(streamId, version, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(20) });
    }

    public void Dispose() => _seen.Dispose();

    /// <summary>Several events at once (never on the request path): all or nothing, in one transactional batch.</summary>
    private async Task AppendBatchAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, PartitionKey partition, CancellationToken ct)
    {
        var batch = Log.CreateTransactionalBatch(partition);
        if (expectedVersion > 0) batch.ReadItem(CosmosEventDocument.IdOf(streamId, expectedVersion));
        foreach (var e in events) batch.CreateItem(CosmosEventDocument.From(e), new TransactionalBatchItemRequestOptions { EnableContentResponseOnWrite = false });
        using var response = await batch.ExecuteAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            See(streamId, events[^1].Version);
            return;
        }
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound || response.Any(r => r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound))
            throw new ConcurrencyException(streamId, expectedVersion);
        throw new CosmosStoreException($"Appending {events.Count} events to '{streamId}' failed with {(int)response.StatusCode}: {response.ErrorMessage}", response.StatusCode);
    }

    public async Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default)
    {
        if (maxCount <= 0) return [];
        // Versions have no gaps, so a version range is exactly the page asked for; sorting it here needs no ORDER BY.
        var until = (long)Math.Max(fromVersion, 1) + maxCount;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.streamId = @stream AND c.version >= @from AND c.version < @until")
            .WithParameter("@stream", streamId)
            .WithParameter("@from", fromVersion)
            .WithParameter("@until", until);
        var found = await CosmosQueries.ReadAllAsync<CosmosEventDocument>(Log, query, new PartitionKey(streamId), ct);
        var events = found.OrderBy(d => d.Version).Take(maxCount).Select(d => d.ToEnvelope()).ToList();
        if (events.Count > 0) See(streamId, events[^1].Version);
        return events;
    }

    /// <summary>
    /// A project's events across its streams, from the project log (<see cref="CosmosProjectLog"/>): one single-partition
    /// query a page, in recorded order (Cosmos DB has no global sequence, so the order is the recorded time with stream
    /// and version breaking ties, <see cref="CosmosEventDocument.SeqOf"/>). The project log is the change-feed
    /// projection's copy of the log, so it lags appends as the view does.
    /// </summary>
    public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
        _projectLog.ReadAsync(projectKey, newestFirst, after, until is null ? null : CosmosEventDocument.SeqBound(until.Value), maxCount, ct);

    private async Task<bool> ExistsAsync(string id, PartitionKey partition, CancellationToken ct)
    {
        using var response = await Log.ReadItemStreamAsync(id, partition, cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        response.EnsureSuccessStatusCode();
        return true;
    }
}
