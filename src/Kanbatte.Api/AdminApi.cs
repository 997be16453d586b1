using System.Globalization;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// Operating Kanbatte, for operators only (the <c>Kanbatte.Admin</c> role; 403 for everyone else): what is parked in the
/// projector's dead letters, a re-drive that applies them, and the projects without an owner (made before users
/// existed), which an operator gives their first owner through the members route. Operators see no project's content.
/// </summary>
public sealed class AdminApi(IDeadLetterStore deadLetters, ResilientProjector projector, IChangeNotifier notifier, KanbatteQueries queries, Paging paging, ApiHandler handler)
{
    private static readonly QueryParameters ProjectsParameters = QueryParameters.Page.And("owned");

    private const string Scope = "dead-letters";

    public sealed record ParkedEvent(string StreamId, int Version, string Type, string Error, DateTimeOffset ParkedAt, int Attempts, JsonElement Data);

    /// <summary>
    /// <c>GET /api/admin/dead-letters</c>: a page of the parked events by stream and version, like every list, and
    /// <c>count</c>, how many are parked in all.
    /// </summary>
    public Task<IResult> ListDeadLettersAsync(HttpRequest request) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        RequireOperator(caller);
        QueryParameters.Page.ThrowIfUnknown(request);
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

    /// <summary><c>POST /api/admin/dead-letters/redrive</c>: projects parked events again; those applied are removed, and their projects' members told.</summary>
    public Task<IResult> RedriveAsync(HttpRequest request) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        RequireOperator(caller);
        var body = await RequestBody.ReadNoneAsync(request, ct);
        QueryParameters.None.ThrowIfUnknown(request);
        body.ThrowIfInvalid();
        var (result, changed) = await projector.RedriveAsync(ct);
        await notifier.NotifyAsync(changed, ct); // what the re-drive put in the view reaches clients like any projection
        return JsonResponse.Of(StatusCodes.Status200OK, result);
    });

    /// <summary><c>GET /api/admin/projects?owned=false</c>: a page of <c>{key, name}</c> of the projects that have no owner.</summary>
    public Task<IResult> ListProjectsAsync(HttpRequest request) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        RequireOperator(caller);
        ProjectsParameters.ThrowIfUnknown(request);
        if (QueryValues.Single(request, "owned") != "false")
            throw new ValidationException("owned", "must be false: operators list the projects without an owner, to give them one.");
        const string scope = "admin-projects";
        var limit = paging.Limit(request);
        return paging.Page(await queries.ListProjectsWithoutOwnerAsync(paging.After(request, scope), limit, ct), scope);
    });

    private static void RequireOperator(Caller caller)
    {
        if (!caller.Admin) throw new ForbiddenException("This is for operators (the Kanbatte.Admin role).");
    }

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
