using System.Net;
using System.Text.Json;

namespace Kanbatte.FunctionalTests;

/// <summary>The API contract end to end through HTTP against the server in process.</summary>
public sealed class LifecycleTests : IClassFixture<KanbatteFactory>
{
    private readonly KanbatteFactory _factory;
    private readonly HttpClient _client;

    public LifecycleTests(KanbatteFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    private Task<string> NewProjectAsync() => _client.NewProjectAsync("P");

    [Fact]
    public async Task Health_answers_200() =>
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/health")).StatusCode);

    [Fact]
    public async Task The_design_lifecycle_fills_log_and_view()
    {
        var project = await _client.PostJsonAsync("/api/projects", new { key = "AI", name = "AI research", repository = "https://github.com/example/ai" });
        Assert.Equal(HttpStatusCode.Created, project.StatusCode);
        Assert.Equal("/api/projects/AI", project.Headers.Location?.ToString());
        Assert.Equal("AI research", (await project.JsonAsync()).GetProperty("name").GetString());

        var created = await _client.PostJsonAsync("/api/projects/AI/tasks", new { title = "Research ML models" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/tasks/AI-001", created.Headers.Location?.ToString());
        var task = await created.JsonAsync();
        Assert.Equal(
            ["archived", "assignee", "createdAt", "description", "dueDate", "id", "labels", "number", "priority", "projectKey", "rank", "status", "title", "updatedAt", "version"],
            task.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(("AI-001", "AI", 1, "todo", 1), (task.GetProperty("id").GetString(), task.GetProperty("projectKey").GetString(),
            task.GetProperty("number").GetInt32(), task.GetProperty("status").GetString(), task.GetProperty("version").GetInt32()));

        var updated = await _client.PatchJsonAsync("/api/tasks/AI-001", new { status = "in_progress" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("in_progress", (await updated.JsonAsync()).GetProperty("status").GetString());

        var comment = await _client.PostJsonAsync("/api/tasks/AI-001/comments", new { body = "Started research" });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        Assert.Equal("/api/tasks/AI-001/comments", comment.Headers.Location?.ToString());
        var c = await comment.JsonAsync();
        // The author is the caller (since users: no longer text the client sends).
        Assert.Equal(("CM-1", "AI-001", "Started research", TestTokens.DefaultUserId, TestTokens.DefaultUserName),
            (c.GetProperty("id").GetString(), c.GetProperty("taskId").GetString(), c.GetProperty("body").GetString(), c.GetProperty("authorId").GetString(), c.GetProperty("author").GetString()));
        Assert.True(c.TryGetProperty("createdAt", out _));

        // The view holds the task row and the comment row...
        Assert.Equal(1, _factory.Scalar("SELECT COUNT(*) FROM view WHERE id = 'task:AI-001' AND json_extract(data, '$.status') = 'in_progress'"));
        Assert.Equal(1, _factory.Scalar("SELECT COUNT(*) FROM view WHERE id = 'comment:CM-1' AND json_extract(data, '$.taskId') = 'AI-001'"));

        // ...the history holds the three events...
        var history = await (await _client.GetAsync("/api/tasks/AI-001/history")).JsonAsync();
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["task_created", "task_updated", "comment_added"], items.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal([1, 2, 3], items.Select(i => i.GetProperty("version").GetInt32()));
        Assert.Equal("""{"status":"in_progress"}""", items[1].GetProperty("data").GetRawText());
        Assert.All(items, i => Assert.EndsWith("Z", i.GetProperty("occurredAt").GetString()));
        Assert.Equal(JsonValueKind.Null, history.GetProperty("continuationToken").ValueKind);

        // ...and reads right after the writes see them.
        var read = await _client.GetAsync("/api/tasks/AI-001");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"3\"", read.Headers.ETag?.ToString());
        Assert.Equal("in_progress", (await read.JsonAsync()).GetProperty("status").GetString());
        var comments = await (await _client.GetAsync("/api/tasks/AI-001/comments")).JsonAsync();
        Assert.Equal(["CM-1"], comments.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var fetched = await (await _client.GetAsync("/api/projects/AI")).JsonAsync();
        Assert.Equal("https://github.com/example/ai", fetched.GetProperty("repository").GetString());
    }

    [Fact]
    public async Task Fifty_parallel_creations_get_fifty_distinct_ids()
    {
        var key = await NewProjectAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = $"Task {i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetString()));
        Assert.Equal(50, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"{key}-{n:D3}"), ids.Order());
    }

    [Fact]
    public async Task Parallel_patches_of_one_task_each_appear_exactly_once_in_its_history()
    {
        var key = await NewProjectAsync();
        await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Contended" });
        var id = $"{key}-001";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _client.PatchJsonAsync($"/api/tasks/{id}", new { title = $"Title {i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var history = await (await _client.GetAsync($"/api/tasks/{id}/history?limit=100")).JsonAsync();
        var titles = history.GetProperty("items").EnumerateArray().Skip(1).Select(i => i.GetProperty("data").GetProperty("title").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"Title {i}").Order(), titles.Order());
        Assert.Equal(Enumerable.Range(1, 21), history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_appends_nothing()
    {
        var key = await NewProjectAsync();
        await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Same", status = "ready" });
        var before = _factory.EventCount;

        var response = await _client.PatchJsonAsync($"/api/tasks/{key}-001", new { title = "Same", status = "ready" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.JsonAsync()).GetProperty("version").GetInt32());
        Assert.Equal(before, _factory.EventCount);
    }

    [Fact]
    public async Task A_taken_project_key_is_a_conflict()
    {
        var key = await NewProjectAsync();
        var response = await _client.PostJsonAsync("/api/projects", new { key, name = "Again" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Lists_page_with_limit_and_continuation_tokens()
    {
        var key = await NewProjectAsync();
        for (var i = 0; i < 7; i++)
            await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = $"T{i}", status = i % 2 == 0 ? "todo" : "done" });

        var seen = new List<int>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"/api/projects/{key}/tasks?limit=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await _client.GetAsync(url)).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        } while (token is not null);

        Assert.Equal(Enumerable.Range(1, 7), seen);
        Assert.Equal(3, pages);

        var todo = await (await _client.GetAsync($"/api/projects/{key}/tasks?status=todo")).JsonAsync();
        Assert.Equal([1, 3, 5, 7], todo.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        var both = await (await _client.GetAsync($"/api/projects/{key}/tasks?status=todo,done&limit=100")).JsonAsync();
        Assert.Equal(7, both.GetProperty("items").GetArrayLength());

        await NewProjectAsync();
        var projects = await (await _client.GetAsync("/api/projects?limit=1")).JsonAsync();
        Assert.Equal(1, projects.GetProperty("items").GetArrayLength());
        Assert.NotNull(projects.GetProperty("continuationToken").GetString());
    }

    [Fact]
    public async Task A_token_continues_the_same_list_written_another_way()
    {
        var key = await NewProjectAsync();
        for (var i = 0; i < 6; i++)
            await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = $"T{i}", status = i % 3 == 0 ? "todo" : i % 3 == 1 ? "done" : "review" });
        var first = await (await _client.GetAsync($"/api/projects/{key}/tasks?status=done,todo&limit=2")).JsonAsync();
        Assert.Equal([1, 2], first.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        var token = Uri.EscapeDataString(first.GetProperty("continuationToken").GetString()!);

        // Values and parameters in another order, duplicates, a filter given twice, the defaults spelt out: the same list.
        foreach (var query in new[]
                 {
                     $"status=todo,done&limit=2&continuationToken={token}",
                     $"limit=2&continuationToken={token}&status=todo,done,todo",
                     $"status=done&status=todo&limit=2&continuationToken={token}",
                     $"status=%20todo%20,done&sort=number&archived=false&continuationToken={token}&limit=2",
                 })
        {
            var response = await _client.GetAsync($"/api/projects/{key}/tasks?{query}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal([4, 5], (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        }

        // A change to the list itself still needs a token of its own.
        var other = await _client.GetAsync($"/api/projects/{key}/tasks?status=done,todo&sort=-number&limit=2&continuationToken={token}");
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task Tokens_from_another_list_or_tampered_are_refused()
    {
        var key = await NewProjectAsync();
        for (var i = 0; i < 3; i++) await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = $"T{i}" });
        var token = (await (await _client.GetAsync($"/api/projects/{key}/tasks?limit=1")).JsonAsync()).GetProperty("continuationToken").GetString()!;

        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        foreach (var url in new[]
        {
            $"/api/projects/{key}/tasks?continuationToken={Uri.EscapeDataString(tampered)}",
            $"/api/projects/{key}/tasks?status=done&continuationToken={Uri.EscapeDataString(token)}",
            $"/api/projects?continuationToken={Uri.EscapeDataString(token)}",
            $"/api/projects/{key}/tasks?continuationToken=not-a-token",
        })
        {
            var response = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("continuationToken", out _), url);
        }
    }
}
