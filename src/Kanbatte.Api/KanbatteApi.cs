using System.Diagnostics;
using System.Globalization;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Api;

/// <summary>
/// The HTTP behaviour of every route, written once: the self-hosted server maps these methods to routes
/// (<see cref="KanbatteRoutes"/>), and each Azure Function calls one of them.
/// </summary>
public sealed class KanbatteApi(KanbatteCommands commands, KanbatteQueries queries, Paging paging, ILogger<KanbatteApi> logger)
{
    public const string CorrelationHeader = "X-Correlation-Id";

    private static readonly byte[] Healthy = "{\"status\":\"healthy\"}"u8.ToArray();
    private static readonly string[] ProjectFields = ["key", "name", "description", "repository"];
    private static readonly string[] TaskFields = ["title", "description", "status"];
    private static readonly string[] CommentFields = ["body", "author"];

    public Task<IResult> HealthAsync(HttpRequest request) =>
        Task.FromResult<IResult>(new JsonResponse(StatusCodes.Status200OK, Healthy));

    public Task<IResult> CreateProjectAsync(HttpRequest request) => HandleAsync(request, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, ProjectFields, ct);
        var cmd = new CreateProject(body.String("key"), body.String("name"), body.String("description"), body.String("repository"));
        body.ThrowIfInvalid();
        var project = await commands.CreateProjectAsync(cmd, metadata, ct);
        return ProjectResponse(StatusCodes.Status201Created, project) with { Location = $"/api/projects/{project.Key}" };
    });

    public Task<IResult> ListProjectsAsync(HttpRequest request) => HandleAsync(request, async (_, ct) =>
    {
        const string scope = "projects";
        var limit = paging.Limit(request);
        var page = await queries.ListProjectsAsync(paging.After(request, scope), limit, ct);
        return paging.Page(page, scope);
    });

    public Task<IResult> GetProjectAsync(HttpRequest request, string key) => HandleAsync(request, async (_, ct) =>
    {
        var doc = await queries.GetProjectAsync(key, ct);
        return new JsonResponse(StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes(doc.Json)) { ETag = ETagOf(doc.Version) };
    });

    public Task<IResult> CreateTaskAsync(HttpRequest request, string key) => HandleAsync(request, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var cmd = new CreateTask(body.String("title"), body.String("description"), body.String("status"));
        body.ThrowIfInvalid();
        var task = await commands.CreateTaskAsync(key, cmd, metadata, ct);
        return TaskResponse(StatusCodes.Status201Created, task) with { Location = $"/api/tasks/{task.Id}" };
    });

    public Task<IResult> ListTasksAsync(HttpRequest request, string key) => HandleAsync(request, async (_, ct) =>
    {
        var statuses = StatusFilter(request);
        var scope = $"tasks|{key}|{string.Join(',', statuses)}";
        var limit = paging.Limit(request);
        var page = await queries.ListTasksAsync(key, statuses, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page, scope);
    });

    public Task<IResult> GetTaskAsync(HttpRequest request, string id) => HandleAsync(request, async (_, ct) =>
    {
        var doc = await queries.GetTaskAsync(id, ct);
        return new JsonResponse(StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes(doc.Json)) { ETag = ETagOf(doc.Version) };
    });

    public Task<IResult> UpdateTaskAsync(HttpRequest request, string id) => HandleAsync(request, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var cmd = new ChangeTask(body.String("title", nullable: false), body.String("description", nullable: false), body.String("status", nullable: false));
        body.ThrowIfInvalid();
        var task = await commands.ChangeTaskAsync(id, cmd, metadata, ct);
        return TaskResponse(StatusCodes.Status200OK, task);
    });

    public Task<IResult> AddCommentAsync(HttpRequest request, string id) => HandleAsync(request, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, CommentFields, ct);
        var cmd = new AddComment(body.String("body"), body.String("author"));
        body.ThrowIfInvalid();
        var comment = await commands.AddCommentAsync(id, cmd, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status201Created, comment) with { Location = $"/api/tasks/{id}/comments" };
    });

    public Task<IResult> ListCommentsAsync(HttpRequest request, string id) => HandleAsync(request, async (_, ct) =>
    {
        var scope = $"comments|{id}";
        var limit = paging.Limit(request);
        var page = await queries.ListCommentsAsync(id, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page, scope);
    });

    public Task<IResult> TaskHistoryAsync(HttpRequest request, string id) => HandleAsync(request, async (_, ct) =>
    {
        var scope = $"history|{id}";
        var limit = paging.Limit(request);
        var page = await queries.HistoryAsync(id, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page.Items.Select(e => KanbatteJson.Serialize(new HistoryEntry(e.Type, e.Version, e.RecordedAt, e.Data))), scope, page.Next);
    });

    private sealed record HistoryEntry(string Type, int Version, DateTimeOffset OccurredAt, System.Text.Json.JsonElement Data);

    private static JsonResponse ProjectResponse(int status, ProjectState project) =>
        JsonResponse.Of(status, project) with { ETag = ETagOf(project.Version) };

    private static JsonResponse TaskResponse(int status, TaskState task) =>
        JsonResponse.Of(status, task) with { ETag = ETagOf(task.Version) };

    private static string ETagOf(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static IReadOnlyList<string> StatusFilter(HttpRequest request)
    {
        var raw = request.Query["status"];
        var statuses = raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = statuses.Where(s => !Statuses.IsValid(s)).ToList();
        if (unknown.Count > 0)
            throw new ValidationException("status", $"'{string.Join("', '", unknown)}' is not a status; use {string.Join(", ", Statuses.All)}.");
        return statuses;
    }

    /// <summary>Maps domain outcomes to problem details, so no client mistake ever becomes a 500.</summary>
    private async Task<IResult> HandleAsync(HttpRequest request, Func<EventMetadata, CancellationToken, Task<JsonResponse>> work)
    {
        var correlationId = CorrelationId(request);
        request.HttpContext.Response.Headers[CorrelationHeader] = correlationId;
        try
        {
            return await work(new EventMetadata(correlationId), request.HttpContext.RequestAborted);
        }
        catch (ValidationException e)
        {
            return Problems.Validation(e.Errors);
        }
        catch (NotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (ConflictException e)
        {
            return Problems.Conflict(e.Message);
        }
        catch (BadHttpRequestException e)
        {
            // The server itself refused the body (e.g. over its own size limit, or cut off mid-way).
            return Problems.BadRequest("body", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Request {Method} {Path} failed (correlation {CorrelationId})", request.Method, request.Path, correlationId);
            return Problems.Create(StatusCodes.Status500InternalServerError, "The server failed.", $"Correlation id {correlationId}.");
        }
    }

    private static string CorrelationId(HttpRequest request)
    {
        var given = request.Headers[CorrelationHeader].ToString();
        if (given.Length is > 0 and <= 100 && given.All(c => c is > ' ' and < (char)127)) return given;
        return Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
    }
}
