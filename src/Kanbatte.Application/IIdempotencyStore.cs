namespace Kanbatte.Application;

/// <summary>Idempotency keys: claimed by the first request that uses one, completed with its response.</summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for a request, or returns the record that already holds it. A record older than
    /// <paramref name="staleBefore"/> (expired, or an abandoned claim) is taken over as if absent.
    /// </summary>
    Task<IdempotencyRecord?> TryClaimAsync(string key, string requestHash, DateTimeOffset now, Func<IdempotencyRecord, bool> isStale, CancellationToken ct = default);

    /// <summary>
    /// Keeps the response of the request that claimed <paramref name="key"/> at <paramref name="claimedAt"/>; nothing when
    /// another request has taken the key over since (this one ran past the abandoned-claim age): that one answers for it.
    /// </summary>
    Task CompleteAsync(string key, DateTimeOffset claimedAt, StoredResponse response, CancellationToken ct = default);

    /// <summary>Gives back the claim made at <paramref name="claimedAt"/>, when its request failed without changing anything; not one completed or taken over since.</summary>
    Task ReleaseAsync(string key, DateTimeOffset claimedAt, CancellationToken ct = default);

    /// <summary>Forgets keys claimed before <paramref name="before"/> (stores with their own expiry do nothing).</summary>
    Task PurgeAsync(DateTimeOffset before, CancellationToken ct = default);
}
