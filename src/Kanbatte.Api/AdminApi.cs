using System.Globalization;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// Operating the projector, for both hosts: what is parked in the dead letters, and a re-drive that applies them.
/// It needs the store's dead letters, not the task board's services.
/// </summary>
public sealed class AdminApi(IDeadLetterStore deadLetters, ResilientProjector projector, Paging paging, ApiHandler handler)
{
    private const string Scope = "dead-letters";

    public sealed record ParkedEvent(string StreamId, int Version, string Type, string Error, DateTimeOffset ParkedAt, int Attempts, JsonElement Data);

    /// <summary>
    /// <c>GET /api/admin/dead-letters</c>: a page of the parked events by stream and version, like every list, and
    /// <c>count</c>, how many are parked in all.
    /// </summary>
    public Task<IResult> ListDeadLettersAsync(HttpRequest request) => handler.HandleAsync(request, QueryParameters.Page, async (_, ct) =>
    {
        var limit = paging.Limit(request);
        var after = paging.After(request, Scope) is { } position ? KeyOf(position) : null;
        // One more than the page, to know whether another follows.
        var parked = await deadLetters.ListAsync(limit + 1, after, ct);
        var page = parked.Take(limit).ToList();
        var next = parked.Count > limit ? PositionOf(page[^1].Event) : null;
        var count = await deadLetters.CountAsync(ct);
        return paging.Page(page.Select(p => KanbatteJson.Serialize(
            new ParkedEvent(p.Event.StreamId, p.Event.Version, p.Event.Type, p.Error, p.ParkedAt, p.Attempts, p.Event.Data))), Scope, next, count);
    });

    /// <summary><c>POST /api/admin/dead-letters/redrive</c>: projects parked events again; those applied are removed.</summary>
    public Task<IResult> RedriveAsync(HttpRequest request) => handler.HandleAsync(request, QueryParameters.None, async (_, ct) =>
        JsonResponse.Of(StatusCodes.Status200OK, await projector.RedriveAsync(ct)));

    // "version:streamId": the version first, as stream ids hold ':' themselves.
    private static string PositionOf(EventEnvelope e) => $"{e.Version.ToString(CultureInfo.InvariantCulture)}:{e.StreamId}";

    private static DeadLetterKey KeyOf(string position)
    {
        var colon = position.IndexOf(':');
        return colon > 0 && QueryValues.TryParseWhole(position[..colon], out var version)
            ? new DeadLetterKey(position[(colon + 1)..], version)
            : throw new ValidationException("continuationToken", "is not a token this list issued.");
    }
}
