using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Kanbatte.FunctionalTests;

/// <summary>The task tracker features beyond the core: fields, moves, archive, board, comment edits, filters, If-Match.</summary>
public sealed class TaskTrackerTests : IClassFixture<KanbatteFactory>
{
    private readonly KanbatteFactory _factory;
    private readonly HttpClient _client;

    public TaskTrackerTests(KanbatteFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    private Task<string> NewProjectAsync() => _client.NewProjectAsync("T");

    private async Task<JsonElement> CreateTaskAsync(string key, object body)
    {
        var response = await _client.PostJsonAsync($"/api/projects/{key}/tasks", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<List<string>> IdsAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task Tasks_carry_priority_assignee_labels_and_due_date()
    {
        var key = await NewProjectAsync();
        await _client.AddMemberAsync(key, "ann"); // an assignee is a member
        var task = await CreateTaskAsync(key, new { title = "Ship", priority = "high", assignee = "ann", labels = new[] { "web", "api", "web" }, dueDate = "2026-12-24" });

        Assert.Equal("high", task.GetProperty("priority").GetString());
        Assert.Equal("ann", task.GetProperty("assignee").GetString());
        Assert.Equal(["api", "web"], task.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("2026-12-24", task.GetProperty("dueDate").GetString());
        Assert.False(task.GetProperty("archived").GetBoolean());

        var defaults = await CreateTaskAsync(key, new { title = "Plain" });
        Assert.Equal("none", defaults.GetProperty("priority").GetString());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("assignee").ValueKind);
        Assert.Equal(0, defaults.GetProperty("labels").GetArrayLength());

        // null clears an optional field; the event names what was cleared.
        var cleared = await (await _client.PatchJsonAsync($"/api/tasks/{key}-001", new { assignee = (string?)null, dueDate = (string?)null, priority = "low" })).JsonAsync();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("assignee").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("dueDate").ValueKind);
        var history = await (await _client.GetAsync($"/api/tasks/{key}-001/history")).JsonAsync();
        var data = history.GetProperty("items")[1].GetProperty("data");
        Assert.Equal("low", data.GetProperty("priority").GetString());
        Assert.Equal(["assignee", "dueDate"], data.GetProperty("cleared").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task New_tasks_go_to_the_bottom_and_moves_place_between_neighbours()
    {
        var key = await NewProjectAsync();
        for (var i = 1; i <= 4; i++)
        {
            await CreateTaskAsync(key, new { title = $"T{i}" });
            // A new task's rank is the clock's millisecond: two made within one share it, and a move between them then
            // rebalances the column (more than one event). These neighbours must leave room.
            await Task.Delay(2);
        }
        var column = $"/api/projects/{key}/tasks?status=todo&sort=rank";
        Assert.Equal([$"{key}-001", $"{key}-002", $"{key}-003", $"{key}-004"], await IdsAsync(column));

        var before = _factory.EventCount;
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync($"/api/tasks/{key}-004/move", new { after = $"{key}-001" })).StatusCode);
        Assert.Equal(before + 1, _factory.EventCount); // only the moved task changes
        Assert.Equal([$"{key}-001", $"{key}-004", $"{key}-002", $"{key}-003"], await IdsAsync(column));

        await _client.PostJsonAsync($"/api/tasks/{key}-003/move", new { before = $"{key}-001" });
        Assert.Equal([$"{key}-003", $"{key}-001", $"{key}-004", $"{key}-002"], await IdsAsync(column));

        await _client.PostJsonAsync($"/api/tasks/{key}-002/move", new { after = $"{key}-003", before = $"{key}-001" });
        Assert.Equal([$"{key}-003", $"{key}-002", $"{key}-001", $"{key}-004"], await IdsAsync(column));

        // Into another column: at the bottom, or between the tasks named there.
        var moved = await (await _client.PostJsonAsync($"/api/tasks/{key}-001/move", new { status = "review" })).JsonAsync();
        Assert.Equal("review", moved.GetProperty("status").GetString());
        await _client.PostJsonAsync($"/api/tasks/{key}-004/move", new { status = "review", before = $"{key}-001" });
        Assert.Equal([$"{key}-004", $"{key}-001"], await IdsAsync($"/api/projects/{key}/tasks?status=review&sort=rank"));
        var history = await (await _client.GetAsync($"/api/tasks/{key}-001/history")).JsonAsync();
        Assert.Equal("task_moved", history.GetProperty("items").EnumerateArray().Last().GetProperty("type").GetString());

        var bad = await _client.PostJsonAsync($"/api/tasks/{key}-002/move", new { status = "done", after = $"{key}-003" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode); // the neighbour is not in the done column
    }

    [Fact]
    public async Task Archived_tasks_leave_lists_and_the_board_unless_asked_for_and_keep_their_history()
    {
        var key = await NewProjectAsync();
        await CreateTaskAsync(key, new { title = "Keep" });
        await CreateTaskAsync(key, new { title = "Archive me" });

        var archived = await (await _client.PostAsync($"/api/tasks/{key}-002/archive", null)).JsonAsync();
        Assert.True(archived.GetProperty("archived").GetBoolean());
        Assert.Equal([$"{key}-001"], await IdsAsync($"/api/projects/{key}/tasks"));
        Assert.Equal([$"{key}-002"], await IdsAsync($"/api/projects/{key}/tasks?archived=true"));
        var board = await (await _client.GetAsync($"/api/projects/{key}/board")).JsonAsync();
        Assert.Equal(1, board.GetProperty("columns")[0].GetProperty("count").GetInt32());

        // Archiving twice changes nothing; restoring brings it back.
        var events = _factory.EventCount;
        await _client.PostAsync($"/api/tasks/{key}-002/archive", null);
        Assert.Equal(events, _factory.EventCount);
        await _client.PostAsync($"/api/tasks/{key}-002/restore", null);
        Assert.Equal([$"{key}-001", $"{key}-002"], await IdsAsync($"/api/projects/{key}/tasks"));
        var history = await (await _client.GetAsync($"/api/tasks/{key}-002/history")).JsonAsync();
        Assert.Equal(["task_created", "task_archived", "task_restored"], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task The_board_has_one_column_per_status_in_workflow_order_with_tasks_by_rank()
    {
        var key = await NewProjectAsync();
        await CreateTaskAsync(key, new { title = "A", status = "done" });
        await CreateTaskAsync(key, new { title = "B", status = "in_progress" });
        await CreateTaskAsync(key, new { title = "C", status = "done" });
        await _client.PostJsonAsync($"/api/tasks/{key}-003/move", new { before = $"{key}-001" });

        var board = await (await _client.GetAsync($"/api/projects/{key}/board")).JsonAsync();

        var columns = board.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(["todo", "ready", "in_progress", "review", "done"], columns.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal([0, 0, 1, 0, 2], columns.Select(c => c.GetProperty("count").GetInt32()));
        Assert.Equal([$"{key}-003", $"{key}-001"], columns[4].GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/projects/NOPE/board")).StatusCode);
    }

    [Fact]
    public async Task Projects_can_be_changed()
    {
        var key = await NewProjectAsync();
        var response = await _client.PatchJsonAsync($"/api/projects/{key}", new { name = "Renamed", repository = "https://example.com/r" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        var project = await (await _client.GetAsync($"/api/projects/{key}")).JsonAsync();
        Assert.Equal(("Renamed", "https://example.com/r"), (project.GetProperty("name").GetString(), project.GetProperty("repository").GetString()));

        var cleared = await (await _client.PatchJsonAsync($"/api/projects/{key}", new { repository = (string?)null })).JsonAsync();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("repository").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PatchJsonAsync("/api/projects/NOPE", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task Comments_can_be_edited_and_deleted_and_history_shows_both()
    {
        var key = await NewProjectAsync();
        await CreateTaskAsync(key, new { title = "Talk" });
        await _client.PostJsonAsync($"/api/tasks/{key}-001/comments", new { body = "First" });
        await _client.PostJsonAsync($"/api/tasks/{key}-001/comments", new { body = "Second" });

        var edited = await _client.PatchJsonAsync($"/api/tasks/{key}-001/comments/CM-1", new { body = "First, edited" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("First, edited", (await edited.JsonAsync()).GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/tasks/{key}-001/comments/CM-2")).StatusCode);

        var comments = await (await _client.GetAsync($"/api/tasks/{key}-001/comments")).JsonAsync();
        Assert.Equal(["First, edited"], comments.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        var history = await (await _client.GetAsync($"/api/tasks/{key}-001/history")).JsonAsync();
        Assert.Equal(["task_created", "comment_added", "comment_added", "comment_edited", "comment_deleted"],
            history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/tasks/{key}-001/comments/CM-2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PatchJsonAsync($"/api/tasks/{key}-001/comments/CM-9", new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PatchJsonAsync($"/api/tasks/{key}-001/comments/bogus", new { body = "x" })).StatusCode);
    }

    [Fact]
    public async Task Lists_filter_and_sort()
    {
        var key = await NewProjectAsync();
        await _client.AddMemberAsync(key, "ann");
        await _client.AddMemberAsync(key, "bob");
        await CreateTaskAsync(key, new { title = "Fix login bug", priority = "urgent", assignee = "ann", labels = new[] { "bug" }, dueDate = "2026-12-01" });
        await CreateTaskAsync(key, new { title = "Write docs", priority = "low", labels = new[] { "docs" }, dueDate = "2026-11-30" });
        await CreateTaskAsync(key, new { title = "LOGIN page polish", priority = "medium", assignee = "bob", labels = new[] { "bug", "ui" }, status = "review" });
        await CreateTaskAsync(key, new { title = "Plan", priority = "high", assignee = "ann" });
        var list = $"/api/projects/{key}/tasks";

        Assert.Equal([$"{key}-001", $"{key}-004"], await IdsAsync($"{list}?assignee=ann"));
        Assert.Equal([$"{key}-001", $"{key}-003"], await IdsAsync($"{list}?label=bug"));
        Assert.Equal([$"{key}-001", $"{key}-003"], await IdsAsync($"{list}?q=login"));
        Assert.Equal([$"{key}-001", $"{key}-004"], await IdsAsync($"{list}?priority=urgent,high"));
        Assert.Equal([$"{key}-003"], await IdsAsync($"{list}?status=review&label=ui"));
        Assert.Equal([$"{key}-001", $"{key}-004", $"{key}-003", $"{key}-002"], await IdsAsync($"{list}?sort=-priority"));
        Assert.Equal([$"{key}-002", $"{key}-003", $"{key}-004", $"{key}-001"], await IdsAsync($"{list}?sort=priority"));
        Assert.Equal([$"{key}-002", $"{key}-001", $"{key}-003", $"{key}-004"], await IdsAsync($"{list}?sort=dueDate"));
        Assert.Equal([$"{key}-004", $"{key}-003", $"{key}-002", $"{key}-001"], await IdsAsync($"{list}?sort=-number"));
        await _client.PatchJsonAsync($"/api/tasks/{key}-002/", new { title = "Write more docs" });
        Assert.Equal($"{key}-002", (await IdsAsync($"{list}?sort=-updatedAt"))[0]);

        // Paging through a sorted list visits every task once.
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await (await _client.GetAsync($"{list}?sort=-priority&limit=1" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
        } while (token is not null);
        Assert.Equal([$"{key}-001", $"{key}-004", $"{key}-003", $"{key}-002"], seen);

        foreach (var bad in new[] { "sort=title", "archived=yes", "priority=asap" })
            Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"{list}?{bad}")).StatusCode);
    }

    [Fact]
    public async Task Of_twenty_patches_with_the_same_if_match_exactly_one_wins()
    {
        var key = await NewProjectAsync();
        var created = await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Contended" });
        var etag = created.Headers.ETag!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/tasks/{key}-001") { Content = JsonContent(new { title = $"Title {i}" }) };
            request.Headers.IfMatch.Add(etag);
            return _client.SendAsync(request);
        }));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var failed = responses.Where(r => r.StatusCode == HttpStatusCode.PreconditionFailed).ToList();
        Assert.Equal(19, failed.Count);
        foreach (var r in failed)
        {
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            Assert.Equal(2, (await r.JsonAsync()).GetProperty("currentVersion").GetInt32());
        }
        var history = await (await _client.GetAsync($"/api/tasks/{key}-001/history")).JsonAsync();
        Assert.Equal(2, history.GetProperty("items").GetArrayLength());

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{key}-001/archive");
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(stale)).StatusCode);
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, Http.Json), System.Text.Encoding.UTF8, "application/json");
}
