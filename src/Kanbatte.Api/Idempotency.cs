using System.Security.Cryptography;
using System.Text;
using Kanbatte.Application;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// <c>Idempotency-Key</c> on POST: a retry of the same request (same method, path and body) within 24 hours gets the
/// original response and appends nothing; the same key with another request gets 422. A request still running under
/// the key makes a concurrent retry wait for a 409. Only successful responses are kept: a refused request changed
/// nothing, so its key is given back.
/// </summary>
public sealed class Idempotency(IIdempotencyStore store, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A claim this old without a response belongs to a request that died mid-way; a retry may take it over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>The request's key, or null without one; a malformed key is a 400.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || !request.Headers.TryGetValue(Header, out var values)) return null;
        var key = values.ToString();
        if (values.Count != 1 || key.Length is < 1 or > 255 || !key.All(c => c is >= ' ' and < (char)127))
            throw new Kanbatte.Domain.ValidationException(Header, "must be one value of 1-255 printable ASCII characters.");
        return key;
    }

    /// <summary>
    /// Runs <paramref name="work"/> once per key of <paramref name="caller"/>'s: keys are scoped to the caller, so another
    /// user's request with the same key is a request of its own, never a replay of someone else's answer.
    /// </summary>
    public async Task<JsonResponse> RunAsync(HttpRequest request, string clientKey, Caller caller, Func<Task<JsonResponse>> work, CancellationToken ct)
    {
        var key = ViewKeys.UserKey(caller.Id) + "|" + clientKey;
        var body = await RequestBody.ReadBytesAsync(request, ct);
        request.Body = new MemoryStream(body, writable: false); // the handler reads it again
        var hash = Hash(request, body);
        var now = clock.GetUtcNow();

        var existing = await store.TryClaimAsync(key, hash, now,
            r => r.ClaimedAt < now - Retention || (r.Response is null && r.ClaimedAt < now - AbandonedAfter), ct);
        if (existing is not null)
        {
            if (existing.RequestHash != hash)
                throw new ApiProblemException(Problems.Create(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused.",
                    "This Idempotency-Key was used for a different request; use a new key for a new request."));
            if (existing.Response is not { } kept)
                throw new ApiProblemException(Problems.Conflict("A request with this Idempotency-Key is still in progress; retry shortly."));
            return new JsonResponse(kept.Status, kept.Body, kept.ContentType) { Location = kept.Location, ETag = kept.ETag, Replayed = true };
        }

        JsonResponse response;
        try
        {
            response = await work();
        }
        catch
        {
            await store.ReleaseAsync(key, now, CancellationToken.None);
            throw;
        }
        if (response.StatusCode is >= 200 and < 300)
            await store.CompleteAsync(key, now, new StoredResponse(response.StatusCode, response.ContentType, response.Body ?? [], response.Location, response.ETag), CancellationToken.None);
        else
            await store.ReleaseAsync(key, now, CancellationToken.None);
        return response;
    }

    private static string Hash(HttpRequest request, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        sha.AppendData(body);
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
