using System.Text;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>The task routes: create and list in a project, read (now or as it was), change, move, archive, restore, history.</summary>
public sealed class TasksApi(KanbatteCommands commands, KanbatteQueries queries, ProjectAccess access, Paging paging, ApiHandler handler)
{
    private static readonly string[] TaskFields = ["title", "description", "status", "priority", "assignee", "labels", "dueDate"];
    private static readonly string[] MoveFields = ["status", "before", "after"];
    private static readonly QueryParameters GetParameters = QueryParameters.Of("asOf", "version");

    public Task<IResult> CreateAsync(HttpRequest request, string key) => handler.HandleIdempotentAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var task = await commands.CreateTaskAsync(caller, key, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var cmd = new CreateTask(body.String("title"), body.String("description"), body.String("status"),
                body.String("priority"), body.String("assignee"), body.Strings("labels"), body.Date("dueDate"));
            body.ThrowIfInvalid();
            return cmd;
        }, metadata, ct);
        return Response(StatusCodes.Status201Created, task) with { Location = $"/{ApiRoutes.Prefix}/tasks/{task.Id}" };
    });

    public Task<IResult> ListAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Project", key), ct);
        TaskListRequest.Parameters.ThrowIfUnknown(request);
        var (query, scope) = TaskListRequest.Parse(request, key, paging);
        var after = paging.After(request, scope);
        if (after is not null && !KanbatteQueries.TryApplyCursor(after, ref query))
            throw new ValidationException("continuationToken", "is not a token this list issued.");
        var page = await queries.ListTasksAsync(query, ct);
        return paging.Page(page, scope);
    });

    /// <summary>The task from the view; with <c>asOf</c> or <c>version</c>, exactly as it was then, folded from the log.</summary>
    public Task<IResult> GetAsync(HttpRequest request, string id) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await RequireViewerAsync(caller, id, ct);
        GetParameters.ThrowIfUnknown(request);
        var asOf = QueryValues.AsOf(request);
        var version = QueryValues.Single(request, "version") is { } v
            ? QueryValues.TryParseWhole(v, out var n) && n > 0 ? n : throw new ValidationException("version", "must be a whole number from 1.")
            : (int?)null;
        if (asOf is not null || version is not null)
            return Response(StatusCodes.Status200OK, await queries.TaskAsOfAsync(id, asOf, version, ct));
        var doc = await queries.GetTaskAsync(id, ct);
        return new JsonResponse(StatusCodes.Status200OK, Encoding.UTF8.GetBytes(doc.Json)) { ETag = ETags.Of(doc.Version) };
    });

    public Task<IResult> UpdateAsync(HttpRequest request, string id) => handler.HandleAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var task = await commands.ChangeTaskAsync(caller, id, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var clear = new HashSet<string>(new[] { "assignee", "dueDate", "labels" }.Where(body.IsNull), StringComparer.Ordinal);
            var cmd = new ChangeTask(body.String("title", nullable: false), body.String("description", nullable: false), body.String("status", nullable: false),
                body.String("priority", nullable: false), body.String("assignee"), body.Strings("labels"), body.Date("dueDate"), clear);
            body.ThrowIfInvalid();
            return (cmd, ETags.IfMatch(request));
        }, metadata, ct);
        return Response(StatusCodes.Status200OK, task);
    });

    public Task<IResult> MoveAsync(HttpRequest request, string id) => handler.HandleIdempotentAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, MoveFields, ct);
        var task = await commands.MoveTaskAsync(caller, id, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var (status, before, after) = (body.String("status", nullable: false), body.String("before"), body.String("after"));
            body.ThrowIfInvalid();
            return (status, before, after, ETags.IfMatch(request));
        }, metadata, ct);
        return Response(StatusCodes.Status200OK, task);
    });

    public Task<IResult> ArchiveAsync(HttpRequest request, string id) => ArchiveOrRestoreAsync(request, id, archive: true);

    public Task<IResult> RestoreAsync(HttpRequest request, string id) => ArchiveOrRestoreAsync(request, id, archive: false);

    private Task<IResult> ArchiveOrRestoreAsync(HttpRequest request, string id, bool archive) => handler.HandleIdempotentAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadNoneAsync(request, ct);
        var task = await commands.ArchiveTaskAsync(caller, id, archive, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            body.ThrowIfInvalid();
            return ETags.IfMatch(request);
        }, metadata, ct);
        return Response(StatusCodes.Status200OK, task);
    });

    /// <summary>The task's events from the log, oldest first, each with its actor.</summary>
    public Task<IResult> HistoryAsync(HttpRequest request, string id) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await RequireViewerAsync(caller, id, ct);
        QueryParameters.Page.ThrowIfUnknown(request);
        var scope = $"history|{id}";
        var limit = paging.Limit(request);
        var page = await queries.HistoryAsync(id, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page.Items.Select(e => KanbatteJson.Serialize(HistoryEntry.Of(e))), scope, page.Next);
    });

    /// <summary>A task's project must have the caller as a member: to anyone else the task does not exist.</summary>
    private Task RequireViewerAsync(Caller caller, string id, CancellationToken ct) =>
        access.RequireAsync(caller, TaskId.TryParse(id, out var key, out _) ? key : "", ProjectRoles.Viewer, () => new NotFoundException("Task", id), ct);

    private static JsonResponse Response(int status, TaskState task) =>
        JsonResponse.Of(status, task) with { ETag = ETags.Of(task.Version) };
}
