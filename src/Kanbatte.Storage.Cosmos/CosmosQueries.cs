using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

internal static class CosmosQueries
{
    /// <summary>
    /// Runs a query, within one partition when <paramref name="partition"/> is given, and reads every page of its
    /// result. Lists bound their result with TOP in the query (one round trip) rather than with a page size; the
    /// partition key is also in each query's WHERE clause, so the query is single-partition whatever routes it.
    /// </summary>
    public static async Task<List<T>> ReadAllAsync<T>(Container container, QueryDefinition query, PartitionKey? partition, CancellationToken ct)
    {
        var options = new QueryRequestOptions { MaxItemCount = -1 };
        if (partition is { } key) options.PartitionKey = key;
        var items = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(ct);
            items.AddRange(page);
        }
        return items;
    }
}
