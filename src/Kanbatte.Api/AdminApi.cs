using System.Text.Json;
using Kanbatte.Application;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// Operating the projector, for both hosts: what is parked in the dead letters, and a re-drive that applies them.
/// It needs the store's dead letters, not the task board's services.
/// </summary>
public sealed class AdminApi(IDeadLetterStore deadLetters, ResilientProjector projector, Paging paging, ApiHandler handler)
{
    public sealed record ParkedEvent(string StreamId, int Version, string Type, string Error, DateTimeOffset ParkedAt, int Attempts, JsonElement Data);
    public sealed record ParkedList(IReadOnlyList<ParkedEvent> Items, int Count);

    /// <summary><c>GET /api/admin/dead-letters?limit=N</c>: the parked events, by stream and version.</summary>
    public Task<IResult> ListDeadLettersAsync(HttpRequest request) => handler.HandleAsync(request, QueryParameters.Of("limit"), async (_, ct) =>
    {
        var parked = await deadLetters.ListAsync(paging.Limit(request), ct);
        var items = parked.Select(p => new ParkedEvent(p.Event.StreamId, p.Event.Version, p.Event.Type, p.Error, p.ParkedAt, p.Attempts, p.Event.Data)).ToList();
        return JsonResponse.Of(StatusCodes.Status200OK, new ParkedList(items, items.Count));
    });

    /// <summary><c>POST /api/admin/dead-letters/redrive</c>: projects parked events again; those applied are removed.</summary>
    public Task<IResult> RedriveAsync(HttpRequest request) => handler.HandleAsync(request, QueryParameters.None, async (_, ct) =>
        JsonResponse.Of(StatusCodes.Status200OK, await projector.RedriveAsync(ct)));
}
