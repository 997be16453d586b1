using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>The task routes: create and list in a project, read (now or as it was), change, move, archive, restore, history.</summary>
public sealed class TasksApi(KanbatteCommands commands, KanbatteQueries queries, Paging paging, ApiHandler handler)
{
    private static readonly string[] TaskFields = ["title", "description", "status", "priority", "assignee", "labels", "dueDate"];
    private static readonly string[] MoveFields = ["status", "before", "after"];
    private static readonly QueryParameters GetParameters = QueryParameters.Of("asOf", "version");

    public Task<IResult> CreateAsync(HttpRequest request, string key) => handler.HandleIdempotentAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var cmd = new CreateTask(body.String("title"), body.String("description"), body.String("status"),
            body.String("priority"), body.String("assignee"), body.Strings("labels"), body.Date("dueDate"));
        body.ThrowIfInvalid();
        var task = await commands.CreateTaskAsync(key, cmd, metadata, ct);
        return Response(StatusCodes.Status201Created, task) with { Location = $"/{ApiRoutes.Prefix}/tasks/{task.Id}" };
    });

    public Task<IResult> ListAsync(HttpRequest request, string key) => handler.HandleAsync(request, TaskListRequest.Parameters, async (_, ct) =>
    {
        var (query, scope) = TaskListRequest.Parse(request, key, paging);
        var after = paging.After(request, scope);
        if (after is not null && !KanbatteQueries.TryApplyCursor(after, ref query))
            throw new ValidationException("continuationToken", "is not a token this list issued.");
        var page = await queries.ListTasksAsync(query, ct);
        return paging.Page(page, scope);
    });

    /// <summary>The task from the view; with <c>asOf</c> or <c>version</c>, exactly as it was then, folded from the log.</summary>
    public Task<IResult> GetAsync(HttpRequest request, string id) => handler.HandleAsync(request, GetParameters, async (_, ct) =>
    {
        var asOf = QueryValues.AsOf(request);
        var version = QueryValues.Single(request, "version") is { } v
            ? QueryValues.TryParseWhole(v, out var n) && n > 0 ? n : throw new ValidationException("version", "must be a whole number from 1.")
            : (int?)null;
        if (asOf is not null || version is not null)
            return Response(StatusCodes.Status200OK, await queries.TaskAsOfAsync(id, asOf, version, ct));
        var doc = await queries.GetTaskAsync(id, ct);
        return new JsonResponse(StatusCodes.Status200OK, Encoding.UTF8.GetBytes(doc.Json)) { ETag = ETags.Of(doc.Version) };
    });

    public Task<IResult> UpdateAsync(HttpRequest request, string id) => handler.HandleAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var ifMatch = ETags.IfMatch(request);
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var clear = new HashSet<string>(new[] { "assignee", "dueDate", "labels" }.Where(body.IsNull), StringComparer.Ordinal);
        var cmd = new ChangeTask(body.String("title", nullable: false), body.String("description", nullable: false), body.String("status", nullable: false),
            body.String("priority", nullable: false), body.String("assignee"), body.Strings("labels"), body.Date("dueDate"), clear);
        body.ThrowIfInvalid();
        var task = await commands.ChangeTaskAsync(id, cmd, ifMatch, metadata, ct);
        return Response(StatusCodes.Status200OK, task);
    });

    public Task<IResult> MoveAsync(HttpRequest request, string id) => handler.HandleIdempotentAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var ifMatch = ETags.IfMatch(request);
        var body = await RequestBody.ReadAsync(request, MoveFields, ct);
        var (status, before, after) = (body.String("status", nullable: false), body.String("before"), body.String("after"));
        body.ThrowIfInvalid();
        var task = await commands.MoveTaskAsync(id, status, before, after, ifMatch, metadata, ct);
        return Response(StatusCodes.Status200OK, task);
    });

    public Task<IResult> ArchiveAsync(HttpRequest request, string id) => ArchiveOrRestoreAsync(request, id, archive: true);

    public Task<IResult> RestoreAsync(HttpRequest request, string id) => ArchiveOrRestoreAsync(request, id, archive: false);

    private Task<IResult> ArchiveOrRestoreAsync(HttpRequest request, string id, bool archive) => handler.HandleIdempotentAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var task = await commands.ArchiveTaskAsync(id, archive, ETags.IfMatch(request), metadata, ct);
        return Response(StatusCodes.Status200OK, task);
    });

    /// <summary>The task's events from the log, oldest first.</summary>
    public Task<IResult> HistoryAsync(HttpRequest request, string id) => handler.HandleAsync(request, QueryParameters.Page, async (_, ct) =>
    {
        var scope = $"history|{id}";
        var limit = paging.Limit(request);
        var page = await queries.HistoryAsync(id, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page.Items.Select(e => KanbatteJson.Serialize(new HistoryEntry(e.Type, e.Version, e.RecordedAt, e.Data))), scope, page.Next);
    });

    private sealed record HistoryEntry(string Type, int Version, DateTimeOffset OccurredAt, JsonElement Data);

    private static JsonResponse Response(int status, TaskState task) =>
        JsonResponse.Of(status, task) with { ETag = ETags.Of(task.Version) };
}
