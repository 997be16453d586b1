using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

internal static class CosmosQueries
{
    /// <summary>
    /// Runs a query within one partition, reading pages until <paramref name="limit"/> items. The partition key is also
    /// in every query's WHERE clause, so the query is single-partition whatever routes it.
    /// </summary>
    public static async Task<List<T>> ReadAllAsync<T>(Container container, QueryDefinition query, PartitionKey? partition, CancellationToken ct, int limit = int.MaxValue)
    {
        var options = new QueryRequestOptions { MaxItemCount = limit == int.MaxValue ? -1 : Math.Min(limit, 1000) };
        if (partition is { } key) options.PartitionKey = key;
        var items = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults && items.Count < limit)
        {
            var page = await iterator.ReadNextAsync(ct);
            items.AddRange(page.Take(limit - items.Count));
        }
        return items;
    }
}
