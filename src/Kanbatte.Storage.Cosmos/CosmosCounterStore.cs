using System.Net;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// Per-project counters as documents <c>{projectKey}|{counter}</c> in the counters container. An atomic Patch
/// increment hands out each number once without a lock; the first use creates the document, and a creator that
/// loses that race simply increments the winner's.
/// </summary>
public sealed class CosmosCounterStore(CosmosContainers containers) : ICounterStore
{
    private static readonly PatchOperation[] Increment = [PatchOperation.Increment("/value", 1)];

    public async Task<int> NextAsync(string projectKey, string counter, CancellationToken ct = default)
    {
        var id = $"{projectKey}|{counter}";
        var key = new PartitionKey(id);
        while (true)
        {
            try
            {
                var patched = await containers.Counters.PatchItemAsync<CosmosCounterItem>(id, key, Increment, cancellationToken: ct);
                return patched.Resource.Value;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // First number of this counter.
            }
            try
            {
                await containers.Counters.CreateItemAsync(new CosmosCounterItem(id, 1), key, new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
                return 1;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Another writer created it first: increment theirs.
            }
        }
    }
}
