using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>The project routes: create, list (the caller's), read, change, the board and the activity feed.</summary>
public sealed class ProjectsApi(KanbatteCommands commands, KanbatteQueries queries, ProjectAccess access, Paging paging, ApiHandler handler)
{
    private static readonly string[] CreateFields = ["key", "name", "description", "repository"];
    private static readonly string[] ChangeFields = ["name", "description", "repository"];
    private static readonly QueryParameters BoardParameters = QueryParameters.Of("limit", "asOf");

    public Task<IResult> CreateAsync(HttpRequest request) => handler.HandleIdempotentAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, CreateFields, ct);
        var project = await commands.CreateProjectAsync(caller, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var cmd = new CreateProject(body.String("key"), body.String("name"), body.String("description"), body.String("repository"));
            body.ThrowIfInvalid();
            return cmd;
        }, metadata, ct);
        return Response(StatusCodes.Status201Created, project) with { Location = $"/{ApiRoutes.Prefix}/projects/{project.Key}" };
    });

    /// <summary>The projects the caller is a member of.</summary>
    public Task<IResult> ListAsync(HttpRequest request) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        QueryParameters.Page.ThrowIfUnknown(request);
        const string scope = "projects";
        var limit = paging.Limit(request);
        var page = await queries.ListProjectsAsync(caller.Id, paging.After(request, scope), limit, ct);
        return paging.Page(page, scope);
    });

    public Task<IResult> GetAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Project", key), ct);
        QueryParameters.None.ThrowIfUnknown(request);
        var doc = await queries.GetProjectAsync(key, ct);
        return new JsonResponse(StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes(doc.Json)) { ETag = ETags.Of(doc.Version) };
    });

    public Task<IResult> UpdateAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, ChangeFields, ct);
        var project = await commands.ChangeProjectAsync(caller, key, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var clear = new HashSet<string>(new[] { "description", "repository" }.Where(body.IsNull), StringComparer.Ordinal);
            var cmd = new ChangeProject(body.String("name", nullable: false), body.String("description"), body.String("repository"), clear);
            body.ThrowIfInvalid();
            return (cmd, ETags.IfMatch(request));
        }, metadata, ct);
        return Response(StatusCodes.Status200OK, project);
    });

    /// <summary>The board now (from the view), or with <c>asOf</c> as it was then (from snapshots and the log).</summary>
    public Task<IResult> BoardAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Project", key), ct);
        BoardParameters.ThrowIfUnknown(request);
        var limit = paging.Limit(request);
        var columns = QueryValues.AsOf(request) is { } asOf
            ? (await queries.BoardAsOfAsync(key, asOf, limit, ct))
                .Select(c => (c.Status, c.Count, (IReadOnlyList<string>)c.Tasks.Select(t => KanbatteJson.Serialize(t)).ToList())).ToList()
            : (await queries.BoardAsync(key, limit, ct))
                .Select(c => (c.Status, c.Count, (IReadOnlyList<string>)c.Tasks.Select(d => d.Json).ToList())).ToList();
        return BoardWriter.Write(columns);
    });

    /// <summary>The project's events, newest first, each with its actor.</summary>
    public Task<IResult> ActivityAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Project", key), ct);
        QueryParameters.Page.ThrowIfUnknown(request);
        var scope = $"activity|{key}";
        var limit = paging.Limit(request);
        var page = await queries.ActivityAsync(key, paging.After(request, scope), limit, ct);
        return paging.Page(page.Items.Select(e => KanbatteJson.Serialize(ActivityEntry.Of(e))), scope, page.Next);
    });

    private static JsonResponse Response(int status, ProjectState project) =>
        JsonResponse.Of(status, project) with { ETag = ETags.Of(project.Version) };
}
