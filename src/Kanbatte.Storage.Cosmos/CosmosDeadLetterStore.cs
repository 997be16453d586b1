using System.Net;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>Parked events in the dead-letter container (partition key <c>/streamId</c>), one document per event.</summary>
public sealed class CosmosDeadLetterStore(CosmosContainers containers) : IDeadLetterStore
{
    private Container DeadLetter => containers.DeadLetter;

    public async Task ParkAsync(EventEnvelope e, string error, DateTimeOffset at, CancellationToken ct = default)
    {
        var id = CosmosEventDocument.IdOf(e.StreamId, e.Version);
        var key = new PartitionKey(e.StreamId);
        // A re-park counts the attempt; the parking instance is the only writer of this entry (one lease per partition).
        var attempts = 1;
        try
        {
            attempts += (await DeadLetter.ReadItemAsync<CosmosDeadLetterItem>(id, key, cancellationToken: ct)).Resource.Attempts;
        }
        catch (CosmosException notFound) when (notFound.StatusCode == HttpStatusCode.NotFound)
        {
        }
        await DeadLetter.UpsertItemAsync(new CosmosDeadLetterItem(id, e.StreamId, e.Version, e, error, at, attempts), key,
            new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct = default)
    {
        // Across partitions, as an operator's query is: parked events are few. Sorted here, because ordering by two
        // fields would need a composite index; a re-drive out of order is still right (the projector fills gaps).
        var query = new QueryDefinition("SELECT TOP @limit * FROM c").WithParameter("@limit", limit);
        var items = await CosmosQueries.ReadAllAsync<CosmosDeadLetterItem>(DeadLetter, query, null, ct);
        return items.OrderBy(i => i.StreamId, StringComparer.Ordinal).ThenBy(i => i.Version)
            .Select(i => new DeadLetter(i.Event, i.Error, i.ParkedAt, i.Attempts)).ToList();
    }

    /// <summary>A cross-partition COUNT: a few RU while few events are parked; the gauge caches it, so it runs seldom.</summary>
    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        var counts = await CosmosQueries.ReadAllAsync<long>(DeadLetter, new QueryDefinition("SELECT VALUE COUNT(1) FROM c"), null, ct);
        return counts.Sum();
    }

    public async Task RemoveAsync(string streamId, int version, CancellationToken ct = default)
    {
        using var response = await DeadLetter.DeleteItemStreamAsync(CosmosEventDocument.IdOf(streamId, version), new PartitionKey(streamId), cancellationToken: ct);
        if (response.StatusCode != HttpStatusCode.NotFound) response.EnsureSuccessStatusCode();
    }
}
