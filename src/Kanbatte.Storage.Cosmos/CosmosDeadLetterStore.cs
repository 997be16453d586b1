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

    /// <summary>
    /// Across partitions, as an operator's list is, keyset-paged on (streamId, version): that ORDER BY needs the
    /// container's composite index (infra/modules/cosmos.bicep, <see cref="CosmosContainers"/>).
    /// </summary>
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, DeadLetterKey? after = null, CancellationToken ct = default)
    {
        var query = after is null
            ? new QueryDefinition("SELECT TOP @limit * FROM c ORDER BY c.streamId, c.version")
            : new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.streamId > @s OR (c.streamId = @s AND c.version > @v) ORDER BY c.streamId, c.version")
                .WithParameter("@s", after.StreamId).WithParameter("@v", after.Version);
        var items = await CosmosQueries.ReadAllAsync<CosmosDeadLetterItem>(DeadLetter, query.WithParameter("@limit", limit), null, ct);
        return items.Select(i => new DeadLetter(i.Event, i.Error, i.ParkedAt, i.Attempts)).ToList();
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
