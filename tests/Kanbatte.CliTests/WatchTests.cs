using System.Text.Json;

namespace Kanbatte.CliTests;

/// <summary>kanbatte watch: the hub tells it a project changed, it pulls the changes feed and prints each change, until Ctrl+C.</summary>
[Collection(CliCollection.Name)]
public sealed class WatchTests(CliServer server)
{
    [Fact]
    public async Task Watch_prints_changes_another_user_makes_as_json_lines_until_ctrl_c()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "WJ", "-n", "Watched");
        await ann.OkAsync("project", "add-member", "WJ", "bo", "--role", "member", "--name", "Bo");
        await ann.OkAsync("task", "create", "-p", "WJ", "-t", "Already there");

        await using var watch = await WatchProcess.StartAsync(ann, "watch", "WJ", "--format", "json");
        Assert.Equal($"Watching WJ on {server.Url} (Ctrl+C to stop).", watch.Ready);

        // The first line is Bo's task: what was there before the watch started (the project, members, WJ-001) is not printed.
        using var bo = server.Api("bo");
        Assert.True((await bo.PostJsonAsync("/api/projects/WJ/tasks", new { title = "Made by Bo" })).IsSuccessStatusCode);
        var first = JsonDocument.Parse(await watch.NextLineAsync()).RootElement;
        Assert.Equal("task", first.GetProperty("entity").GetString());
        Assert.Equal("WJ-002", first.GetProperty("id").GetString());
        Assert.Equal("upsert", first.GetProperty("op").GetString());
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal("Made by Bo", first.GetProperty("data").GetProperty("title").GetString());

        Assert.True((await bo.PostJsonAsync("/api/tasks/WJ-001/comments", new { body = "Bo was here" })).IsSuccessStatusCode);
        var lines = new List<JsonElement>();
        while (!lines.Any(l => l.GetProperty("entity").GetString() == "comment"))
            lines.Add(JsonDocument.Parse(await watch.NextLineAsync()).RootElement);
        var comment = lines.Single(l => l.GetProperty("entity").GetString() == "comment");
        Assert.Equal("Bo was here", comment.GetProperty("data").GetProperty("body").GetString());
        Assert.Equal("bo", comment.GetProperty("data").GetProperty("authorId").GetString());

        var (exitCode, rest, error) = await watch.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.All(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonDocument.Parse(l));
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Watch_prints_a_line_per_change_in_table_and_markdown()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "WT", "-n", "Watched too");
        await ann.OkAsync("project", "add-member", "WT", "bo", "--role", "member", "--name", "Bo");
        var session = new Transcript();
        using var bo = server.Api("bo");

        foreach (var format in new[] { "table", "markdown" })
        {
            await using var watch = await WatchProcess.StartAsync(ann, "watch", "WT", "-f", format);
            var number = format == "table" ? 1 : 2;
            Assert.True((await bo.PostJsonAsync("/api/projects/WT/tasks", new { title = $"Task {number} | by Bo", status = "in_progress" })).IsSuccessStatusCode);
            var line = await watch.NextLineAsync();
            Assert.True((await bo.PatchJsonAsync($"/api/tasks/WT-00{number}", new { status = "done" })).IsSuccessStatusCode);
            var second = await watch.NextLineAsync();
            var (exitCode, rest, error) = await watch.StopAsync();
            session.Append("ann", ["watch", "WT", "-f", format], new ToolResult(exitCode, $"{line}\n{second}\n{rest}", $"{watch.Ready}\n{error}"));
        }
        session.Matches("watch");
    }

    [Fact]
    public async Task Without_push_watch_pulls_every_few_seconds()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "WP", "-n", "Pulled");
        // A function app without SignalR Service answers negotiate with 404.
        await using var proxy = await LoopbackProxy.StartAsync(server.Process.BaseAddress);
        proxy.AnswerFor = request => request.Path.StartsWithSegments("/api/hub")
            ? (404, "application/problem+json", """{"type":"about:blank","title":"Not found.","status":404,"detail":"Push is not configured."}""")
            : null;
        ann.Environment["KANBATTE_URL"] = proxy.Address.ToString();

        await using var watch = await WatchProcess.StartAsync(ann, "watch", "WP", "--poll-seconds", "1");
        Assert.Equal($"Watching WP on {proxy.Address}, pulling every 1 s: the server offers no push (Ctrl+C to stop).", watch.Ready);
        using var bo = server.Api("ann");
        Assert.True((await bo.PostJsonAsync("/api/projects/WP/tasks", new { title = "Found by polling" })).IsSuccessStatusCode);
        Assert.Equal("task      upsert  WP-001        v1    [todo] Found by polling", await watch.NextLineAsync());
        var (exitCode, _, error) = await watch.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
    }
}
