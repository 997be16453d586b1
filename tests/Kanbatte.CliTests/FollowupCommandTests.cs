using System.Text.Json;

namespace Kanbatte.CliTests;

/// <summary>
/// Followups (FU-n) through the tool: task followup, task update-followup, followup list, and followups in task read,
/// history and watch; written against the followups API's contract (issue 13).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class FollowupCommandTests(CliServer server)
{
    [Fact]
    public async Task Followups_added_resolved_and_listed_in_each_format()
    {
        var ann = server.As("ann");
        var bo = server.As("bo");
        await ann.OkAsync("project", "create", "-p", "FUP", "-n", "Followups");
        await ann.OkAsync("project", "add-member", "FUP", "bo", "--role", "member", "--name", "Bo");
        await ann.OkAsync("task", "create", "-p", "FUP", "-t", "Research ML models");
        await ann.OkAsync("task", "create", "-p", "FUP", "-t", "Second task");
        await ann.OkAsync("task", "comment", "-i", "FUP-001", "-c", "Started");

        var session = new Transcript();
        await session.OkAsync("ann", ann, "task", "followup", "-i", "FUP-001", "-c", "Check the licences");
        await session.OkAsync("bo", bo, "task", "followup", "-i", "fup-001", "-c", "Ask legal | twice", "-f", "json");
        await session.OkAsync("ann", ann, "task", "followup", "-i", "FUP-002", "-c", "Another task's\non two lines", "--format", "markdown");

        await session.OkAsync("ann", ann, "task", "read", "FUP-001");
        await session.OkAsync("ann", ann, "task", "read", "FUP-001", "-f", "json");
        await session.OkAsync("ann", ann, "task", "read", "FUP-001", "-f", "markdown");

        await session.OkAsync("bo", bo, "task", "update-followup", "-i", "FUP-001", "FU-1", "-s", "resolved");
        await session.OkAsync("ann", ann, "task", "update-followup", "-i", "FUP-001", "fu-2", "-c", "Ask legal once", "-f", "json");
        await session.OkAsync("bo", bo, "task", "update-followup", "-i", "FUP-002", "FU-3", "-s", "resolved", "-f", "markdown");
        await session.OkAsync("ann", ann, "task", "update-followup", "-i", "FUP-002", "FU-3", "-s", "open", "-c", "Reopened");

        await session.OkAsync("ann", ann, "followup", "list", "-p", "FUP");
        await session.OkAsync("ann", ann, "followup", "list", "-p", "fup", "-s", "open", "-f", "json");
        await session.OkAsync("ann", ann, "followup", "list", "-p", "FUP", "-s", "resolved", "-f", "markdown");
        await session.OkAsync("ann", ann, "followup", "list", "-p", "FUP", "--limit", "1");
        await session.OkAsync("ann", ann, "task", "history", "FUP-001");

        await session.RunAsync("bo", bo, "task", "update-followup", "-i", "FUP-002", "FU-3", "-c", "Not mine to reword");
        await session.RunAsync("ann", ann, "task", "update-followup", "-i", "FUP-001", "FU-99", "-s", "resolved");
        await session.RunAsync("ann", ann, "task", "update-followup", "-i", "FUP-001", "FU-1", "-s", "closed");
        await session.RunAsync("ann", ann, "task", "followup", "-i", "FUP-404", "-c", "No such task");
        await session.RunAsync("ann", ann, "followup", "list", "-p", "FUP", "-s", "closed");
        await session.RunAsync("dee", server.As("dee"), "followup", "list", "-p", "FUP");
        session.Matches("followups");
    }

    [Fact]
    public async Task Followup_list_reads_every_page()
    {
        using var api = server.Api("ann");
        var key = await api.NewProjectAsync("F");
        Assert.True((await api.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Many followups" })).IsSuccessStatusCode);
        for (var i = 1; i <= 120; i++)
            Assert.True((await api.PostJsonAsync($"/api/tasks/{key}-001/followups", new { body = $"Followup {i}" })).IsSuccessStatusCode);
        for (var i = 1; i <= 120; i += 4)
            Assert.True((await api.PatchJsonAsync($"/api/tasks/{key}-001/followups/FU-{i}", new { status = "resolved" })).IsSuccessStatusCode);
        var ann = server.As("ann");

        using var all = JsonDocument.Parse(await ann.OkAsync("followup", "list", "-p", key, "-f", "json"));
        Assert.Equal(Enumerable.Range(1, 120).Select(n => $"FU-{n}"), all.RootElement.EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        using var open = JsonDocument.Parse(await ann.OkAsync("followup", "list", "-p", key, "-s", "open", "-f", "json"));
        Assert.Equal(90, open.RootElement.GetArrayLength());
        using var read = JsonDocument.Parse(await ann.OkAsync("task", "read", $"{key}-001", "-f", "json"));
        Assert.Equal(120, read.RootElement.GetProperty("followups").GetArrayLength());
    }

    [Fact]
    public async Task An_interrupted_followup_is_retried_with_its_key_and_added_once()
    {
        using var api = server.Api("ann");
        var key = await api.NewProjectAsync("F");
        Assert.True((await api.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Once" })).IsSuccessStatusCode);
        await using var proxy = await LoopbackProxy.StartAsync(server.Process.BaseAddress);
        proxy.DropAnswerOnce = request => request.Method == "POST" && request.Path.Value!.EndsWith("/followups", StringComparison.Ordinal);
        var ann = server.As("ann");
        ann.Environment["KANBATTE_URL"] = proxy.Address.ToString();

        var output = await ann.OkAsync("task", "followup", "-i", $"{key}-001", "-c", "Only once", "-f", "json");

        Assert.Equal("FU-1", JsonDocument.Parse(output).RootElement.GetProperty("id").GetString());
        var posts = proxy.Forwarded.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.True(posts[0].Dropped);
        Assert.True(posts[1].Replayed);
        var followups = await (await api.GetAsync($"/api/tasks/{key}-001/followups")).JsonAsync();
        Assert.Equal(1, followups.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Watch_prints_followups_another_user_adds_and_resolves()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "FUW", "-n", "Watched followups");
        await ann.OkAsync("project", "add-member", "FUW", "bo", "--role", "member", "--name", "Bo");
        await ann.OkAsync("task", "create", "-p", "FUW", "-t", "Watched");
        await using var watch = await WatchProcess.StartAsync(ann, "watch", "FUW", "-f", "json");

        using var bo = server.Api("bo");
        Assert.True((await bo.PostJsonAsync("/api/tasks/FUW-001/followups", new { body = "Bo follows up" })).IsSuccessStatusCode);
        var added = await NextFollowupAsync(watch);
        Assert.Equal("FU-1", added.GetProperty("id").GetString());
        Assert.Equal("upsert", added.GetProperty("op").GetString());
        Assert.Equal("open", added.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("bo", added.GetProperty("data").GetProperty("authorId").GetString());

        Assert.True((await bo.PatchJsonAsync("/api/tasks/FUW-001/followups/FU-1", new { status = "resolved" })).IsSuccessStatusCode);
        var resolved = await NextFollowupAsync(watch);
        Assert.Equal("resolved", resolved.GetProperty("data").GetProperty("status").GetString());

        var (exitCode, _, error) = await watch.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
    }

    private static async Task<JsonElement> NextFollowupAsync(WatchProcess watch)
    {
        while (true)
        {
            var change = JsonDocument.Parse(await watch.NextLineAsync()).RootElement;
            if (change.GetProperty("entity").GetString() == "followup") return change;
        }
    }
}
