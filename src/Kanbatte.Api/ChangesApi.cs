using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// <c>GET /api/projects/{key}/changes?since=&amp;limit=</c> (viewers and up): the project's changes feed, for clients
/// that sync. Not a list: <c>{changes, cursor, hasMore}</c>, and a cursor too old to be served is 410.
/// </summary>
public sealed class ChangesApi(ChangesFeed feed, ChangesCursors cursors, ProjectAccess access, ApiHandler handler)
{
    private static readonly QueryParameters Parameters = QueryParameters.Of("since", "limit");

    public Task<IResult> PullAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Project", key), ct);
        Parameters.ThrowIfUnknown(request);
        var limit = Limit(request);
        var since = QueryValues.Single(request, "since") is { Length: > 0 } token ? cursors.Decode(token, key) : null;
        var page = await feed.PullAsync(key, since, limit, ct);
        return Write(page);
    });

    private static int Limit(HttpRequest request)
    {
        var raw = QueryValues.Single(request, "limit");
        if (raw is null) return ChangesFeed.DefaultLimit;
        return QueryValues.TryParseWhole(raw, out var limit) && limit is >= 1 and <= ChangesFeed.MaxLimit
            ? limit
            : throw new ValidationException("limit", $"must be a whole number from 1 to {ChangesFeed.MaxLimit}.");
    }

    private JsonResponse Write(ChangesPage page)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("changes");
            foreach (var change in page.Changes)
            {
                writer.WriteStartObject();
                writer.WriteString("entity", change.Entity);
                writer.WriteString("id", change.Id);
                writer.WriteString("op", change.Op);
                writer.WriteNumber("version", change.Version);
                writer.WritePropertyName("data");
                if (change.Data is { } data) data.WriteTo(writer);
                else writer.WriteNullValue();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("cursor", cursors.Encode(page.Cursor));
            writer.WriteBoolean("hasMore", page.HasMore);
            writer.WriteEndObject();
        }
        return new JsonResponse(StatusCodes.Status200OK, buffer.ToArray());
    }
}
