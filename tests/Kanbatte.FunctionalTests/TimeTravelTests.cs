using System.Net;
using System.Text.Json;

namespace Kanbatte.FunctionalTests;

/// <summary>History from the log: project activity, and tasks and boards exactly as they were.</summary>
public sealed class TimeTravelTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonElement> SendAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await Task.Delay(3); // distinct milliseconds, so each scripted point in time holds exactly the writes before it
        return await response.JsonAsync();
    }

    private async Task<string> BoardJsonAsync(string key, string? asOf = null)
    {
        var response = await _client.GetAsync($"/api/projects/{key}/board" + (asOf is null ? "" : "?asOf=" + Uri.EscapeDataString(asOf)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task As_of_answers_equal_the_states_recorded_at_those_points()
    {
        var key = "H" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var project = await SendAsync(_client.PostJsonAsync("/api/projects", new { key, name = "History" }));
        await _client.AddMemberAsync(key, "ann"); // assigned below
        var points = new List<(string At, string TaskJson, string Board)>();

        async Task Record(JsonElement task)
        {
            var at = task.GetProperty("updatedAt").GetString()!;
            points.Add((at, task.GetRawText(), await BoardJsonAsync(key)));
        }

        await Record(await SendAsync(_client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Research", labels = new[] { "ml" } })));
        await SendAsync(_client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Other", status = "ready" }));
        await Record(await SendAsync(_client.PatchJsonAsync($"/api/tasks/{key}-001", new { status = "in_progress", priority = "high" })));
        await Record(await SendAsync(_client.PostJsonAsync($"/api/tasks/{key}-001/move", new { status = "review" })));
        await Record(await SendAsync(_client.PatchJsonAsync($"/api/tasks/{key}-001", new { title = "Research ML models", assignee = "ann" })));
        await Record(await SendAsync(_client.PostAsync($"/api/tasks/{key}-001/archive", null)));
        await Record(await SendAsync(_client.PostAsync($"/api/tasks/{key}-001/restore", null)));

        foreach (var (at, taskJson, board) in points)
        {
            var asOf = await _client.GetAsync($"/api/tasks/{key}-001?asOf={Uri.EscapeDataString(at)}");
            Assert.Equal(HttpStatusCode.OK, asOf.StatusCode);
            Assert.Equal(taskJson, await asOf.Content.ReadAsStringAsync());
            Assert.Equal(board, await BoardJsonAsync(key, at));
        }

        // By version: version n is the task after its n-th event.
        var v2 = await (await _client.GetAsync($"/api/tasks/{key}-001?version=2")).JsonAsync();
        Assert.Equal(("in_progress", 2), (v2.GetProperty("status").GetString(), v2.GetProperty("version").GetInt32()));

        // Before it existed, and past its last version: 404.
        var before = project.GetProperty("createdAt").GetDateTimeOffset().AddMilliseconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/tasks/{key}-001?asOf={before}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/projects/{key}/board?asOf={before}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/tasks/{key}-001?version=99")).StatusCode);
        foreach (var bad in new[] { "asOf=yesterday", "asOf=2026-11-26", "version=0", "version=x", "version=1%00" })
            Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/tasks/{key}-001?{bad}")).StatusCode);
    }

    [Fact]
    public async Task Activity_lists_the_projects_events_newest_first_in_pages()
    {
        var key = "A" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await SendAsync(_client.PostJsonAsync("/api/projects", new { key, name = "Activity" }));
        await SendAsync(_client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "One" }));
        await SendAsync(_client.PostJsonAsync($"/api/tasks/{key}-001/comments", new { body = "Hi" }));
        await SendAsync(_client.PatchJsonAsync($"/api/projects/{key}", new { name = "Renamed" }));

        var types = new List<string>();
        string? token = null;
        do
        {
            var page = await (await _client.GetAsync($"/api/projects/{key}/activity?limit=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)))).JsonAsync();
            types.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
        } while (token is not null);

        Assert.Equal(["project_updated", "comment_added", "task_created", "project_created"], types);
        var first = await (await _client.GetAsync($"/api/projects/{key}/activity?limit=2")).JsonAsync();
        Assert.Equal($"{key}-001", first.GetProperty("items")[1].GetProperty("taskId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/projects/NOPE/activity")).StatusCode);
    }
}
