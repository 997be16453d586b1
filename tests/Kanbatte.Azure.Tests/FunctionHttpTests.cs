using System.Text;
using Kanbatte.Functions;
using Kanbatte.Functions.Http;
using Kanbatte.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Kanbatte.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The HTTP functions called directly with an ASP.NET Core request, as the worker's integration calls them, over the
/// Cosmos DB store on the test server. The view is filled by calling the projector function with the log's documents.
/// </summary>
public sealed class FunctionHttpTests : IAsyncLifetime
{
    private FunctionApp _app = null!;

    public async Task InitializeAsync() => _app = await FunctionApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<DirectHttp.Response> CallAsync<TFunction>(string method, string path, object? body = null, string? query = null, params string[] routeValues) =>
        CallAsync<TFunction>(DirectHttp.Request(_app.Services, method, path, body, query), routeValues);

    private Task<DirectHttp.Response> CallAsync<TFunction>(Microsoft.AspNetCore.Http.HttpRequest request, params string[] routeValues)
    {
        var function = _app.Function<TFunction>();
        var run = typeof(TFunction).GetMethod("Run")!;
        return DirectHttp.CallAsync(request, r => (Task<Microsoft.AspNetCore.Mvc.IActionResult>)run.Invoke(function, [r, .. routeValues])!);
    }

    private async Task ProjectAsync() => await _app.Function<ProjectEventsFunction>().Run(await _app.LogAsync(), CancellationToken.None);

    [Fact]
    public async Task Health_answers_without_a_store_round_trip()
    {
        var response = await CallAsync<HealthFunction>("GET", "/api/health");
        Assert.Equal((200, JsonResponse.Json, """{"status":"healthy"}"""), (response.Status, response.ContentType, response.Body));
    }

    [Fact]
    public async Task A_task_changed_twenty_times_gets_a_state_snapshot_the_app_writes_in_the_background()
    {
        Assert.Equal(201, (await CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "SN", name = "Snapshots" })).Status);
        Assert.Equal(201, (await CallAsync<CreateTaskFunction>("POST", "/api/projects/SN/tasks", new { title = "Renamed often" }, routeValues: "SN")).Status);
        for (var i = 1; i <= 20; i++)
            Assert.Equal(200, (await CallAsync<UpdateTaskFunction>("PATCH", "/api/tasks/SN-001", new { title = $"Rename {i}" }, routeValues: "SN-001")).Status);

        // The app's pipeline offered the state at version 20; its background service writes the offers (one pass, here).
        Assert.Contains(_app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is StreamSnapshotService);
        Assert.Null(await _app.Get<Application.IStreamSnapshotStore>().ReadAsync("task:SN-001"));
        Assert.Equal(1, await _app.Get<Application.StreamSnapshots>().FlushAsync());
        var snapshot = await _app.Get<Application.IStreamSnapshotStore>().ReadAsync("task:SN-001");
        Assert.Equal(20, snapshot?.Version);
        Assert.Equal("Rename 19", Application.StreamFolds.Task.Snapshot!.Decode(snapshot!.State)!.Task.Title);
    }

    [Fact]
    public async Task A_project_and_its_tasks_go_through_the_functions()
    {
        var created = await CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "AI", name = "AI things" });
        Assert.Equal(201, created.Status);
        Assert.Equal("/api/projects/AI", created.Headers.Location.ToString());
        Assert.Equal("\"1\"", created.Headers.ETag.ToString());
        Assert.False(string.IsNullOrEmpty(created.Headers[CorrelationId.Header]));
        Assert.Equal("AI", created.Json.GetProperty("key").GetString());

        // Eventually consistent, as in Azure: the view has it once the change feed (here: the trigger, called) projected it.
        Assert.Equal(404, (await CallAsync<GetProjectFunction>("GET", "/api/projects/AI", routeValues: "AI")).Status);
        await ProjectAsync();
        var read = await CallAsync<GetProjectFunction>("GET", "/api/projects/AI", routeValues: "AI");
        Assert.Equal((200, "\"1\"", "AI things"), (read.Status, read.Headers.ETag.ToString(), read.Json.GetProperty("name").GetString()));

        var first = await CallAsync<CreateTaskFunction>("POST", "/api/projects/AI/tasks", new { title = "One" }, routeValues: "AI");
        var second = await CallAsync<CreateTaskFunction>("POST", "/api/projects/AI/tasks", new { title = "Two" }, routeValues: "AI");
        Assert.Equal((201, "AI-001", "/api/tasks/AI-001"), (first.Status, first.Json.GetProperty("id").GetString(), first.Headers.Location.ToString()));
        Assert.Equal("AI-002", second.Json.GetProperty("id").GetString());

        var patched = await CallAsync<UpdateTaskFunction>("PATCH", "/api/tasks/AI-001", new { status = "done" }, routeValues: "AI-001");
        Assert.Equal((200, "\"2\"", "done"), (patched.Status, patched.Headers.ETag.ToString(), patched.Json.GetProperty("status").GetString()));
        var comment = await CallAsync<AddCommentFunction>("POST", "/api/tasks/AI-001/comments", new { body = "Nice" }, routeValues: "AI-001");
        Assert.Equal((201, "CM-1"), (comment.Status, comment.Json.GetProperty("id").GetString()));

        // History reads the log, so it never lags.
        var history = await CallAsync<TaskHistoryFunction>("GET", "/api/tasks/AI-001/history", routeValues: "AI-001");
        Assert.Equal(["task_created", "task_updated", "comment_added"], history.Json.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        await ProjectAsync();
        var tasks = await CallAsync<ListTasksFunction>("GET", "/api/projects/AI/tasks", query: "?limit=1", routeValues: "AI");
        Assert.Equal(["AI-001"], tasks.Json.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var token = tasks.Json.GetProperty("continuationToken").GetString()!;
        var rest = await CallAsync<ListTasksFunction>("GET", "/api/projects/AI/tasks", query: "?limit=1&continuationToken=" + Uri.EscapeDataString(token), routeValues: "AI");
        Assert.Equal(["AI-002"], rest.Json.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var done = await CallAsync<ListTasksFunction>("GET", "/api/projects/AI/tasks", query: "?status=done", routeValues: "AI");
        Assert.Equal(["AI-001"], done.Json.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var comments = await CallAsync<ListCommentsFunction>("GET", "/api/tasks/AI-001/comments", routeValues: "AI-001");
        Assert.Equal(["Nice"], comments.Json.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        var projects = await CallAsync<ListProjectsFunction>("GET", "/api/projects");
        Assert.Equal(["AI"], projects.Json.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("key").GetString()));
        var task = await CallAsync<GetTaskFunction>("GET", "/api/tasks/AI-001", routeValues: "AI-001");
        Assert.Equal((200, "\"3\""), (task.Status, task.Headers.ETag.ToString()));

        var parked = await CallAsync<ListDeadLettersFunction>("GET", "/api/admin/dead-letters");
        Assert.Equal((200, 0), (parked.Status, parked.Json.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task The_task_tracker_functions_answer_directly()
    {
        Assert.Equal(201, (await CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "TT", name = "Tracker" })).Status);
        await ProjectAsync();
        var renamed = await CallAsync<UpdateProjectFunction>("PATCH", "/api/projects/TT", new { name = "Renamed" }, routeValues: "TT");
        Assert.Equal((200, "Renamed"), (renamed.Status, renamed.Json.GetProperty("name").GetString()));
        foreach (var title in new[] { "A", "B", "C" })
            Assert.Equal(201, (await CallAsync<CreateTaskFunction>("POST", "/api/projects/TT/tasks", new { title }, routeValues: "TT")).Status);

        await ProjectAsync(); // a move places the task between neighbours read from the view
        var moved = await CallAsync<MoveTaskFunction>("POST", "/api/tasks/TT-003/move", new { before = "TT-001" }, routeValues: "TT-003");
        Assert.True(moved.Status == 200, moved.Body);
        Assert.Equal(200, (await CallAsync<ArchiveTaskFunction>("POST", "/api/tasks/TT-002/archive", routeValues: "TT-002")).Status);
        var restored = await CallAsync<RestoreTaskFunction>("POST", "/api/tasks/TT-002/restore", routeValues: "TT-002");
        Assert.Equal((200, false), (restored.Status, restored.Json.GetProperty("archived").GetBoolean()));
        var comment = await CallAsync<AddCommentFunction>("POST", "/api/tasks/TT-001/comments", new { body = "Hi" }, routeValues: "TT-001");
        var id = comment.Json.GetProperty("id").GetString()!;
        var edited = await CallAsync<EditCommentFunction>("PATCH", $"/api/tasks/TT-001/comments/{id}", new { body = "Hello" }, routeValues: ["TT-001", id]);
        Assert.Equal((200, "Hello"), (edited.Status, edited.Json.GetProperty("body").GetString()));
        Assert.Equal(204, (await CallAsync<DeleteCommentFunction>("DELETE", $"/api/tasks/TT-001/comments/{id}", routeValues: ["TT-001", id])).Status);

        await ProjectAsync();
        var board = await CallAsync<ProjectBoardFunction>("GET", "/api/projects/TT/board", routeValues: "TT");
        Assert.Equal(200, board.Status);
        Assert.Contains("TT-003", board.Body);
        var activity = await CallAsync<ProjectActivityFunction>("GET", "/api/projects/TT/activity", routeValues: "TT");
        Assert.Equal(200, activity.Status);
        Assert.True(activity.Json.GetProperty("items").GetArrayLength() >= 9, activity.Body);
        var openApi = await CallAsync<OpenApiFunction>("GET", "/api/openapi.json");
        Assert.Equal((200, "3.1.0"), (openApi.Status, openApi.Json.GetProperty("openapi").GetString()));
    }

    [Fact]
    public async Task Unknown_query_parameters_are_refused_but_the_hosts_function_key_is_not_one()
    {
        var unknown = await CallAsync<ListProjectsFunction>("GET", "/api/projects", query: "?limt=5&code=k");
        Assert.Equal((400, JsonResponse.ProblemJson), (unknown.Status, unknown.ContentType));
        Assert.Equal(["limt"], unknown.Json.GetProperty("errors").EnumerateObject().Select(e => e.Name));

        // The Functions host checks ?code= (the function key) and passes the whole query on to the worker.
        Assert.Equal(200, (await CallAsync<ListProjectsFunction>("GET", "/api/projects", query: "?limit=5&code=k")).Status);
        Assert.Equal(200, (await CallAsync<ListDeadLettersFunction>("GET", "/api/admin/dead-letters", query: "?code=k")).Status);
    }

    [Fact]
    public async Task Admin_routes_carry_the_correlation_id_as_every_route_does()
    {
        var listed = await CallAsync<ListDeadLettersFunction>("GET", "/api/admin/dead-letters");
        var refused = await CallAsync<ListDeadLettersFunction>("GET", "/api/admin/dead-letters", query: "?limit=0");
        var redriven = await CallAsync<RedriveDeadLettersFunction>("POST", "/api/admin/dead-letters/redrive");

        Assert.Equal((200, 400, 200), (listed.Status, refused.Status, redriven.Status));
        Assert.All(new[] { listed, refused, redriven }, r => Assert.False(string.IsNullOrEmpty(r.Headers[CorrelationId.Header])));
    }

    [Fact]
    public async Task Head_answers_with_the_gets_status_and_headers_without_the_body()
    {
        await CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "HD", name = "Head" });
        await CallAsync<CreateTaskFunction>("POST", "/api/projects/HD/tasks", new { title = "One" }, routeValues: "HD");
        await ProjectAsync();

        foreach (var (name, call) in new (string, Func<string, Task<DirectHttp.Response>>)[]
                 {
                     ("task", m => CallAsync<GetTaskFunction>(m, "/api/tasks/HD-001", routeValues: "HD-001")),
                     ("missing task", m => CallAsync<GetTaskFunction>(m, "/api/tasks/HD-404", routeValues: "HD-404")),
                     ("list", m => CallAsync<ListTasksFunction>(m, "/api/projects/HD/tasks", query: "?limit=1", routeValues: "HD")),
                     ("dead letters", m => CallAsync<ListDeadLettersFunction>(m, "/api/admin/dead-letters")),
                     ("health", m => CallAsync<HealthFunction>(m, "/api/health")),
                 })
        {
            var get = await call("GET");
            var head = await call("HEAD");
            Assert.Equal((name, get.Status, get.ContentType, get.Headers.ContentLength, get.Headers.ETag.ToString()),
                (name, head.Status, head.ContentType, head.Headers.ContentLength, head.Headers.ETag.ToString()));
            Assert.Equal((name, ""), (name, head.Body));
            Assert.True(get.Body.Length > 0 && get.Headers.ContentLength == Encoding.UTF8.GetByteCount(get.Body), name);
        }
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var request = DirectHttp.Request(_app.Services, "POST", "/api/projects", Encoding.UTF8.GetBytes("key=AI&name=AI"), contentType: "application/x-www-form-urlencoded");

        var refused = await CallAsync<CreateProjectFunction>(request);

        Assert.Equal((415, JsonResponse.ProblemJson), (refused.Status, refused.ContentType));
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty("body", out _), refused.Body);
        Assert.False(string.IsNullOrEmpty(refused.Headers[CorrelationId.Header]));
    }

    [Fact]
    public async Task Dead_letters_page_through_the_function_and_count_all_that_is_parked()
    {
        var store = _app.Get<Kanbatte.Application.IDeadLetterStore>();
        var parked = new[] { ("task:DL-002", 1), ("task:DL-001", 10), ("project:DL", 3), ("task:DL-001", 2), ("task:DL-001", 9) };
        foreach (var (stream, version) in parked)
            await store.ParkAsync(new Kanbatte.Application.EventEnvelope(stream, version, "task_teleported", 1, System.Text.Json.JsonSerializer.SerializeToElement(new { to = "mars" }),
                DateTimeOffset.UtcNow, new Kanbatte.Application.EventMetadata("poison")), "boom", DateTimeOffset.UtcNow);

        var seen = new List<(string, int)>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await CallAsync<ListDeadLettersFunction>("GET", "/api/admin/dead-letters", query: "?limit=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.True(page.Status == 200, page.Body);
            Assert.Equal(5, page.Json.GetProperty("count").GetInt32());
            seen.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("streamId").GetString()!, i.GetProperty("version").GetInt32())));
            token = page.Json.GetProperty("continuationToken").GetString();
            pages++;
        } while (token is not null && pages < 10);

        Assert.Equal(parked.OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2), seen);
        Assert.Equal(3, pages);
    }

    private static readonly byte[] ManyBadLabels =
        Encoding.UTF8.GetBytes("{\"title\":\"t\",\"labels\":[" + string.Join(",", Enumerable.Repeat("\"\"", 250_000)) + "]}");

    [Fact]
    public async Task A_quarter_million_mistakes_are_reported_as_twenty()
    {
        await CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "AI", name = "AI" });

        var refused = await CallAsync<CreateTaskFunction>("POST", "/api/projects/AI/tasks", ManyBadLabels, routeValues: "AI");

        Assert.Equal((400, JsonResponse.ProblemJson), (refused.Status, refused.ContentType));
        Assert.True(refused.Body.Length < 4096, $"a {refused.Body.Length}-character problem");
        Assert.Equal(20, refused.Json.GetProperty("errors").GetProperty("labels").GetArrayLength());
        Assert.Equal(250_000, refused.Json.GetProperty("errorCount").GetInt32());
    }

    /// <summary>Client mistakes answer exactly as the self-hosted server answers them: status, content type and body.</summary>
    [Fact]
    public async Task Errors_are_byte_for_byte_the_servers()
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-parity-");
        try
        {
            using var server = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Kanbatte:Sqlite:Path", Path.Combine(folder.FullName, "k.db")).UseTestIssuer());
            using var client = server.CreateClient().WithToken();
            await client.PostAsync("/api/projects", Json(new { key = "AI", name = "AI" }));
            await CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "AI", name = "AI" });

            var cases = new (string Method, string Path, object? Body, string? Query, Func<Task<DirectHttp.Response>> Function)[]
            {
                ("POST", "/api/projects", new { key = "lower", name = "" }, null, () => CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "lower", name = "" })),
                ("POST", "/api/projects", new { key = "AI", name = "Again" }, null, () => CallAsync<CreateProjectFunction>("POST", "/api/projects", new { key = "AI", name = "Again" })),
                ("POST", "/api/projects", Encoding.UTF8.GetBytes("{not json"), null, () => CallAsync<CreateProjectFunction>("POST", "/api/projects", Encoding.UTF8.GetBytes("{not json"))),
                ("GET", "/api/tasks/AI-404", null, null, () => CallAsync<GetTaskFunction>("GET", "/api/tasks/AI-404", routeValues: "AI-404")),
                ("GET", "/api/tasks/nonsense/history", null, null, () => CallAsync<TaskHistoryFunction>("GET", "/api/tasks/nonsense/history", routeValues: "nonsense")),
                ("PATCH", "/api/tasks/AI-001", new { status = "nope" }, null, () => CallAsync<UpdateTaskFunction>("PATCH", "/api/tasks/AI-001", new { status = "nope" }, routeValues: "AI-001")),
                ("POST", "/api/projects/ZZ/tasks", new { title = "x" }, null, () => CallAsync<CreateTaskFunction>("POST", "/api/projects/ZZ/tasks", new { title = "x" }, routeValues: "ZZ")),
                ("GET", "/api/projects", null, "?limit=0", () => CallAsync<ListProjectsFunction>("GET", "/api/projects", query: "?limit=0")),
                ("GET", "/api/projects/AI/tasks", null, "?status=later", () => CallAsync<ListTasksFunction>("GET", "/api/projects/AI/tasks", query: "?status=later", routeValues: "AI")),
                ("GET", "/api/admin/dead-letters", null, "?limit=1000", () => CallAsync<ListDeadLettersFunction>("GET", "/api/admin/dead-letters", query: "?limit=1000")),
                ("GET", "/api/projects/AI/tasks", null, "?assigne=ana", () => CallAsync<ListTasksFunction>("GET", "/api/projects/AI/tasks", query: "?assigne=ana", routeValues: "AI")),
                ("GET", "/api/tasks/AI-001", null, "?verison=3", () => CallAsync<GetTaskFunction>("GET", "/api/tasks/AI-001", query: "?verison=3", routeValues: "AI-001")),
                ("POST", "/api/admin/dead-letters/redrive", null, "?all=true", () => CallAsync<RedriveDeadLettersFunction>("POST", "/api/admin/dead-letters/redrive", query: "?all=true")),
                ("POST", "/api/projects/AI/tasks", ManyBadLabels, null, () => CallAsync<CreateTaskFunction>("POST", "/api/projects/AI/tasks", ManyBadLabels, routeValues: "AI")),
            };
            foreach (var (method, path, body, query, function) in cases)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path + query);
                if (body is not null) request.Content = Json(body);
                var expected = await client.SendAsync(request);
                var actual = await function();
                Assert.True((int)expected.StatusCode is >= 400 and < 500, $"{method} {path}{query}: the server said {(int)expected.StatusCode}");
                Assert.Equal(($"{method} {path}{query}", (int)expected.StatusCode, expected.Content.Headers.ContentType?.ToString(), await expected.Content.ReadAsStringAsync()),
                    ($"{method} {path}{query}", actual.Status, actual.ContentType, actual.Body));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }

        static HttpContent Json(object body) =>
            new ByteArrayContent(body as byte[] ?? System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, Kanbatte.Application.KanbatteJson.Options))
            { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } };
    }
}
