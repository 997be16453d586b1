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
public sealed partial class KanbatteApi(KanbatteCommands commands, KanbatteQueries queries, Paging paging, Idempotency idempotency, ILogger<KanbatteApi> logger)
{
    public const string CorrelationHeader = "X-Correlation-Id";

    private static readonly byte[] Healthy = "{\"status\":\"healthy\"}"u8.ToArray();
    private static readonly string[] ProjectFields = ["key", "name", "description", "repository"];
    private static readonly string[] ProjectChangeFields = ["name", "description", "repository"];
    private static readonly string[] TaskFields = ["title", "description", "status", "priority", "assignee", "labels", "dueDate"];
    private static readonly string[] MoveFields = ["status", "before", "after"];
    private static readonly string[] CommentFields = ["body", "author"];
    private static readonly string[] CommentEditFields = ["body"];

    public Task<IResult> HealthAsync(HttpRequest request) =>
        Task.FromResult<IResult>(new JsonResponse(StatusCodes.Status200OK, Healthy));

    /// <summary>The OpenAPI document (src/Kanbatte.Api/openapi.json), embedded so that both hosts serve the same bytes.</summary>
    public Task<IResult> OpenApiAsync(HttpRequest request) =>
        Task.FromResult<IResult>(new JsonResponse(StatusCodes.Status200OK, OpenApiDocument.Value));

    private static readonly Lazy<byte[]> OpenApiDocument = new(() =>
    {
        using var stream = typeof(KanbatteApi).Assembly.GetManifestResourceStream("Kanbatte.Api.openapi.json")
            ?? throw new InvalidOperationException("The embedded OpenAPI document is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

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

    public Task<IResult> UpdateProjectAsync(HttpRequest request, string key) => HandleAsync(request, async (metadata, ct) =>
    {
        var ifMatch = IfMatch(request);
        var body = await RequestBody.ReadAsync(request, ProjectChangeFields, ct);
        var clear = new HashSet<string>(new[] { "description", "repository" }.Where(body.IsNull), StringComparer.Ordinal);
        var cmd = new ChangeProject(body.String("name", nullable: false), body.String("description"), body.String("repository"), clear);
        body.ThrowIfInvalid();
        var project = await commands.ChangeProjectAsync(key, cmd, ifMatch, metadata, ct);
        return ProjectResponse(StatusCodes.Status200OK, project);
    });

    /// <summary>The board now (from the view), or with <c>asOf</c> as it was then (from snapshots and the log).</summary>
    public Task<IResult> BoardAsync(HttpRequest request, string key) => HandleAsync(request, async (_, ct) =>
    {
        var limit = paging.Limit(request);
        var columns = AsOf(request) is { } asOf
            ? (await queries.BoardAsOfAsync(key, asOf, limit, ct))
                .Select(c => (c.Status, c.Count, (IReadOnlyList<string>)c.Tasks.Select(t => KanbatteJson.Serialize(t)).ToList())).ToList()
            : (await queries.BoardAsync(key, limit, ct))
                .Select(c => (c.Status, c.Count, (IReadOnlyList<string>)c.Tasks.Select(d => d.Json).ToList())).ToList();
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columns");
            foreach (var (status, count, tasks) in columns)
            {
                writer.WriteStartObject();
                writer.WriteString("status", status);
                writer.WriteNumber("count", count);
                writer.WriteStartArray("tasks");
                foreach (var task in tasks) writer.WriteRawValue(task, skipInputValidation: true);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new JsonResponse(StatusCodes.Status200OK, buffer.ToArray());
    });

    public Task<IResult> CreateTaskAsync(HttpRequest request, string key) => HandleAsync(request, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var cmd = new CreateTask(body.String("title"), body.String("description"), body.String("status"),
            body.String("priority"), body.String("assignee"), body.Strings("labels"), body.Date("dueDate"));
        body.ThrowIfInvalid();
        var task = await commands.CreateTaskAsync(key, cmd, metadata, ct);
        return TaskResponse(StatusCodes.Status201Created, task) with { Location = $"/api/tasks/{task.Id}" };
    });

    public Task<IResult> ListTasksAsync(HttpRequest request, string key) => HandleAsync(request, async (_, ct) =>
    {
        var query = TaskQuery(request, key);
        var scope = ScopeWithoutToken(request, key);
        var after = paging.After(request, scope);
        if (after is not null && !KanbatteQueries.TryApplyCursor(after, ref query))
            throw new ValidationException("continuationToken", "is not a token this list issued.");
        var page = await queries.ListTasksAsync(query, ct);
        return paging.Page(page, scope);
    });

    /// <summary>The task from the view; with <c>asOf</c> or <c>version</c>, exactly as it was then, folded from the log.</summary>
    public Task<IResult> GetTaskAsync(HttpRequest request, string id) => HandleAsync(request, async (_, ct) =>
    {
        var asOf = AsOf(request);
        var version = Paging.Single(request, "version") is { } v
            ? Paging.TryParseWhole(v, out var n) && n > 0 ? n : throw new ValidationException("version", "must be a whole number from 1.")
            : (int?)null;
        if (asOf is not null || version is not null)
            return TaskResponse(StatusCodes.Status200OK, await queries.TaskAsOfAsync(id, asOf, version, ct));
        var doc = await queries.GetTaskAsync(id, ct);
        return new JsonResponse(StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes(doc.Json)) { ETag = ETagOf(doc.Version) };
    });

    public Task<IResult> ActivityAsync(HttpRequest request, string key) => HandleAsync(request, async (_, ct) =>
    {
        var scope = $"activity|{key}";
        var limit = paging.Limit(request);
        var page = await queries.ActivityAsync(key, paging.After(request, scope), limit, ct);
        return paging.Page(page.Items.Select(e => KanbatteJson.Serialize(new ActivityEntry(
            e.Type, e.StreamId.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal) ? e.StreamId[StreamIds.TaskPrefix.Length..] : null,
            e.Version, e.RecordedAt, e.Data))), scope, page.Next);
    });

    public Task<IResult> UpdateTaskAsync(HttpRequest request, string id) => HandleAsync(request, async (metadata, ct) =>
    {
        var ifMatch = IfMatch(request);
        var body = await RequestBody.ReadAsync(request, TaskFields, ct);
        var clear = new HashSet<string>(new[] { "assignee", "dueDate", "labels" }.Where(body.IsNull), StringComparer.Ordinal);
        var cmd = new ChangeTask(body.String("title", nullable: false), body.String("description", nullable: false), body.String("status", nullable: false),
            body.String("priority", nullable: false), body.String("assignee"), body.Strings("labels"), body.Date("dueDate"), clear);
        body.ThrowIfInvalid();
        var task = await commands.ChangeTaskAsync(id, cmd, ifMatch, metadata, ct);
        return TaskResponse(StatusCodes.Status200OK, task);
    });

    public Task<IResult> MoveTaskAsync(HttpRequest request, string id) => HandleAsync(request, async (metadata, ct) =>
    {
        var ifMatch = IfMatch(request);
        var body = await RequestBody.ReadAsync(request, MoveFields, ct);
        var (status, before, after) = (body.String("status", nullable: false), body.String("before"), body.String("after"));
        body.ThrowIfInvalid();
        var task = await commands.MoveTaskAsync(id, status, before, after, ifMatch, metadata, ct);
        return TaskResponse(StatusCodes.Status200OK, task);
    });

    public Task<IResult> ArchiveTaskAsync(HttpRequest request, string id) => ArchiveOrRestoreAsync(request, id, archive: true);

    public Task<IResult> RestoreTaskAsync(HttpRequest request, string id) => ArchiveOrRestoreAsync(request, id, archive: false);

    private Task<IResult> ArchiveOrRestoreAsync(HttpRequest request, string id, bool archive) => HandleAsync(request, async (metadata, ct) =>
    {
        var task = await commands.ArchiveTaskAsync(id, archive, IfMatch(request), metadata, ct);
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

    public Task<IResult> EditCommentAsync(HttpRequest request, string id, string commentId) => HandleAsync(request, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, CommentEditFields, ct);
        var text = body.String("body");
        body.ThrowIfInvalid();
        var comment = await commands.EditCommentAsync(id, commentId, text, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status200OK, comment);
    });

    public Task<IResult> DeleteCommentAsync(HttpRequest request, string id, string commentId) => HandleAsync(request, async (metadata, ct) =>
    {
        await commands.DeleteCommentAsync(id, commentId, metadata, ct);
        return new JsonResponse(StatusCodes.Status204NoContent, null);
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

    private sealed record ActivityEntry(string Type, string? TaskId, int Version, DateTimeOffset OccurredAt, System.Text.Json.JsonElement Data);

    private sealed record HistoryEntry(string Type, int Version, DateTimeOffset OccurredAt, System.Text.Json.JsonElement Data);

    private static JsonResponse ProjectResponse(int status, ProjectState project) =>
        JsonResponse.Of(status, project) with { ETag = ETagOf(project.Version) };

    private static JsonResponse TaskResponse(int status, TaskState task) =>
        JsonResponse.Of(status, task) with { ETag = ETagOf(task.Version) };

    private static string ETagOf(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static readonly Dictionary<string, TaskSort> Sorts = new(StringComparer.Ordinal)
    {
        ["number"] = TaskSort.Number, ["rank"] = TaskSort.Rank, ["priority"] = TaskSort.Priority,
        ["updatedAt"] = TaskSort.UpdatedAt, ["dueDate"] = TaskSort.DueDate,
    };

    /// <summary>The list's filters and sort from the query string; every bad parameter is named.</summary>
    private TaskListQuery TaskQuery(HttpRequest request, string key)
    {
        var v = new Violations();
        var statuses = CommaList(request, "status", Statuses.All, v);
        var priorities = CommaList(request, "priority", Priorities.All, v);
        var archived = Paging.Single(request, "archived") switch
        {
            null or "false" => false,
            "true" => true,
            _ => Invalid(v, "archived", "must be true or false."),
        };
        var sortText = Paging.Single(request, "sort") ?? "number";
        var descending = sortText.StartsWith('-');
        if (!Sorts.TryGetValue(descending ? sortText[1..] : sortText, out var sort))
            v.Add("sort", $"must be one of {string.Join(", ", Sorts.Keys)}, optionally with a leading '-'.");
        var assignee = Paging.Single(request, "assignee");
        var label = Paging.Single(request, "label");
        var text = Paging.Single(request, "q");
        if (text is not null && Rules.LengthOf(text) > Rules.TitleMax) v.Add("q", $"must be at most {Rules.TitleMax} characters.");
        var limit = 0;
        try { limit = paging.Limit(request); } catch (ValidationException e) { v.Add("limit", e.Errors["limit"][0]); }
        v.ThrowIfAny();
        return new TaskListQuery(key, statuses, 0, limit)
        {
            Priorities = priorities, Assignee = assignee, Label = label, Archived = archived,
            Text = string.IsNullOrEmpty(text) ? null : text, Sort = sort, Descending = descending,
        };
    }

    /// <summary>A list's identity for its tokens: everything in the query but the page position.</summary>
    private static string ScopeWithoutToken(HttpRequest request, string key) =>
        $"tasks|{key}|" + string.Join('&', request.Query.Where(p => p.Key is not ("continuationToken" or "limit"))
            .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static bool Invalid(Violations v, string field, string message)
    {
        v.Add(field, message);
        return false;
    }

    private static IReadOnlyList<string> CommaList(HttpRequest request, string name, IReadOnlyList<string> allowed, Violations v)
    {
        var values = request.Query[name].SelectMany(x => (x ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = values.Where(x => !allowed.Contains(x)).ToList();
        if (unknown.Count > 0) v.Add(name, $"'{string.Join("', '", unknown)}' is not one of {string.Join(", ", allowed)}.");
        return values;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex Rfc3339();

    /// <summary>The <c>asOf</c> time (RFC 3339, with Z or an offset), or null.</summary>
    private static DateTimeOffset? AsOf(HttpRequest request)
    {
        // A '+' offset arrives as a space when the client did not encode it.
        var raw = Paging.Single(request, "asOf")?.Replace(' ', '+');
        if (raw is null) return null;
        return Rfc3339().IsMatch(raw) && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new ValidationException("asOf", "must be an RFC 3339 time such as 2026-11-26T07:19:16.560Z.");
    }

    /// <summary>The version an If-Match header names (<c>"3"</c>), or null without the header or with <c>*</c>.</summary>
    private static int? IfMatch(HttpRequest request)
    {
        var raw = request.Headers.IfMatch.ToString().Trim();
        if (raw.Length == 0 || raw == "*") return null;
        var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
        if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' &&
            Paging.TryParseWhole(tag[1..^1], out var version) && version > 0)
            return version;
        throw new ValidationException("If-Match", "must be an ETag this API issued, such as \"3\".");
    }

    /// <summary>Maps domain outcomes to problem details, so no client mistake ever becomes a 500.</summary>
    private async Task<IResult> HandleAsync(HttpRequest request, Func<EventMetadata, CancellationToken, Task<JsonResponse>> work)
    {
        var correlationId = CorrelationId(request);
        request.HttpContext.Response.Headers[CorrelationHeader] = correlationId;
        var ct = request.HttpContext.RequestAborted;
        try
        {
            var metadata = new EventMetadata(correlationId);
            return Idempotency.KeyOf(request) is { } key
                ? await idempotency.RunAsync(request, key, () => work(metadata, ct), ct)
                : await work(metadata, ct);
        }
        catch (ApiProblemException e)
        {
            return e.Problem;
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
        catch (PreconditionFailedException e)
        {
            return Problems.PreconditionFailed(e.Message, e.CurrentVersion);
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
