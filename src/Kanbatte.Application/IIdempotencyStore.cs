namespace Kanbatte.Application;

/// <summary>Idempotency keys: claimed by the first request that uses one, completed with its response.</summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for a request, or returns the record that already holds it. A record older than
    /// <paramref name="staleBefore"/> (expired, or an abandoned claim) is taken over as if absent.
    /// </summary>
    Task<IdempotencyRecord?> TryClaimAsync(string key, string requestHash, DateTimeOffset now, Func<IdempotencyRecord, bool> isStale, CancellationToken ct = default);

    Task CompleteAsync(string key, StoredResponse response, CancellationToken ct = default);

    /// <summary>Gives a claimed key back, when the request failed without changing anything.</summary>
    Task ReleaseAsync(string key, CancellationToken ct = default);

    /// <summary>Forgets keys claimed before <paramref name="before"/> (stores with their own expiry do nothing).</summary>
    Task PurgeAsync(DateTimeOffset before, CancellationToken ct = default);
}
