using System.Net;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// Idempotency keys in their own container (partition key <c>/id</c>, time to live 24 hours). A claim is a create, so
/// of two racing requests exactly one gets the key; a stale record is taken over with an ETag-guarded replace.
/// </summary>
public sealed class CosmosIdempotencyStore(CosmosContainers containers) : IIdempotencyStore
{
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };
    private Container Keys => containers.Idempotency;

    public async Task<IdempotencyRecord?> TryClaimAsync(string key, string requestHash, DateTimeOffset now, Func<IdempotencyRecord, bool> isStale, CancellationToken ct = default)
    {
        var id = IdOf(key);
        var partition = new PartitionKey(id);
        var claim = new CosmosIdempotencyItem(id, requestHash, now, null);
        while (true)
        {
            try
            {
                await Keys.CreateItemAsync(claim, partition, NoContent, ct);
                return null;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
            }

            ItemResponse<CosmosIdempotencyItem> existing;
            try
            {
                existing = await Keys.ReadItemAsync<CosmosIdempotencyItem>(id, partition, cancellationToken: ct);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                continue; // expired or released in between: claim again
            }
            var record = new IdempotencyRecord(key, existing.Resource.RequestHash, existing.Resource.ClaimedAt, existing.Resource.Response);
            if (!isStale(record)) return record;
            try
            {
                await Keys.ReplaceItemAsync(claim, id, partition, new ItemRequestOptions { IfMatchEtag = existing.ETag, EnableContentResponseOnWrite = false }, ct);
                return null;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // Another request took it over first: look again.
            }
        }
    }

    public async Task CompleteAsync(string key, DateTimeOffset claimedAt, StoredResponse response, CancellationToken ct = default)
    {
        var id = IdOf(key);
        var partition = new PartitionKey(id);
        try
        {
            // Only over this request's own claim, as read: a retry that took the key over since answers for it.
            var existing = await Keys.ReadItemAsync<CosmosIdempotencyItem>(id, partition, cancellationToken: ct);
            if (!IsClaim(existing.Resource, claimedAt)) return;
            await Keys.ReplaceItemAsync(existing.Resource with { Response = response }, id, partition,
                new ItemRequestOptions { IfMatchEtag = existing.ETag, EnableContentResponseOnWrite = false }, ct);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            // Expired, or taken over between the read and the replace.
        }
    }

    public async Task ReleaseAsync(string key, DateTimeOffset claimedAt, CancellationToken ct = default)
    {
        var id = IdOf(key);
        var partition = new PartitionKey(id);
        try
        {
            var existing = await Keys.ReadItemAsync<CosmosIdempotencyItem>(id, partition, cancellationToken: ct);
            if (existing.Resource.Response is not null || !IsClaim(existing.Resource, claimedAt)) return; // completed (kept for replays), or another request's claim now
            await Keys.DeleteItemAsync<CosmosIdempotencyItem>(id, partition, new ItemRequestOptions { IfMatchEtag = existing.ETag }, ct);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
        }
    }

    /// <summary>Whether the record is still the claim made at <paramref name="claimedAt"/>, compared as stored (to the millisecond; a takeover comes a minute later at least).</summary>
    private static bool IsClaim(CosmosIdempotencyItem record, DateTimeOffset claimedAt) =>
        KanbatteJson.Format(record.ClaimedAt) == KanbatteJson.Format(claimedAt);

    /// <summary>Nothing to do: the container's time to live deletes keys after 24 hours.</summary>
    public Task PurgeAsync(DateTimeOffset before, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>Keys are client text: hex-encode them, as ids may not hold '/', '\\', '?' or '#'.</summary>
    /// <summary>A key (a caller's scope and up to 255 characters of theirs) as an item id, which Cosmos DB caps at 255 characters.</summary>
    private static string IdOf(string key) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
