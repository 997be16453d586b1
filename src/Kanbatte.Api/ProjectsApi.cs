using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>The project routes: create, list, read, change, the board and the activity feed.</summary>
public sealed class ProjectsApi(KanbatteCommands commands, KanbatteQueries queries, Paging paging, ApiHandler handler)
{
    private static readonly string[] CreateFields = ["key", "name", "description", "repository"];
    private static readonly string[] ChangeFields = ["name", "description", "repository"];
    private static readonly QueryParameters BoardParameters = QueryParameters.Of("limit", "asOf");

    public Task<IResult> CreateAsync(HttpRequest request) => handler.HandleIdempotentAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, CreateFields, ct);
        var cmd = new CreateProject(body.String("key"), body.String("name"), body.String("description"), body.String("repository"));
        body.ThrowIfInvalid();
        var project = await commands.CreateProjectAsync(cmd, metadata, ct);
        return Response(StatusCodes.Status201Created, project) with { Location = $"/{ApiRoutes.Prefix}/projects/{project.Key}" };
    });

    public Task<IResult> ListAsync(HttpRequest request) => handler.HandleAsync(request, QueryParameters.Page, async (_, ct) =>
    {
        const string scope = "projects";
        var limit = paging.Limit(request);
        var page = await queries.ListProjectsAsync(paging.After(request, scope), limit, ct);
        return paging.Page(page, scope);
    });

    public Task<IResult> GetAsync(HttpRequest request, string key) => handler.HandleAsync(request, QueryParameters.None, async (_, ct) =>
    {
        var doc = await queries.GetProjectAsync(key, ct);
        return new JsonResponse(StatusCodes.Status200OK, Encoding.UTF8.GetBytes(doc.Json)) { ETag = ETags.Of(doc.Version) };
    });

    public Task<IResult> UpdateAsync(HttpRequest request, string key) => handler.HandleAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var ifMatch = ETags.IfMatch(request);
        var body = await RequestBody.ReadAsync(request, ChangeFields, ct);
        var clear = new HashSet<string>(new[] { "description", "repository" }.Where(body.IsNull), StringComparer.Ordinal);
        var cmd = new ChangeProject(body.String("name", nullable: false), body.String("description"), body.String("repository"), clear);
        body.ThrowIfInvalid();
        var project = await commands.ChangeProjectAsync(key, cmd, ifMatch, metadata, ct);
        return Response(StatusCodes.Status200OK, project);
    });

    /// <summary>The board now (from the view), or with <c>asOf</c> as it was then (from snapshots and the log).</summary>
    public Task<IResult> BoardAsync(HttpRequest request, string key) => handler.HandleAsync(request, BoardParameters, async (_, ct) =>
    {
        var limit = paging.Limit(request);
        var columns = QueryValues.AsOf(request) is { } asOf
            ? (await queries.BoardAsOfAsync(key, asOf, limit, ct))
                .Select(c => (c.Status, c.Count, (IReadOnlyList<string>)c.Tasks.Select(t => KanbatteJson.Serialize(t)).ToList())).ToList()
            : (await queries.BoardAsync(key, limit, ct))
                .Select(c => (c.Status, c.Count, (IReadOnlyList<string>)c.Tasks.Select(d => d.Json).ToList())).ToList();
        return BoardWriter.Write(columns);
    });

    /// <summary>The project's events, newest first.</summary>
    public Task<IResult> ActivityAsync(HttpRequest request, string key) => handler.HandleAsync(request, QueryParameters.Page, async (_, ct) =>
    {
        var scope = $"activity|{key}";
        var limit = paging.Limit(request);
        var page = await queries.ActivityAsync(key, paging.After(request, scope), limit, ct);
        return paging.Page(page.Items.Select(e => KanbatteJson.Serialize(new ActivityEntry(
            e.Type, e.StreamId.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal) ? e.StreamId[StreamIds.TaskPrefix.Length..] : null,
            e.Version, e.RecordedAt, e.Data))), scope, page.Next);
    });

    private sealed record ActivityEntry(string Type, string? TaskId, int Version, DateTimeOffset OccurredAt, JsonElement Data);

    private static JsonResponse Response(int status, ProjectState project) =>
        JsonResponse.Of(status, project) with { ETag = ETags.Of(project.Version) };
}
