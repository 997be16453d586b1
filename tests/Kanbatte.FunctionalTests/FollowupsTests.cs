using System.Net;
using System.Text.Json;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// Followups through HTTP: added open by members with the caller as author, numbered per project, resolved by any member,
/// reworded only by their author or an owner, listed per task and as the project's queue, and part of the task's stream
/// (its history, version and ETag) and of the changes feed.
/// </summary>
public sealed class FollowupsTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    [Fact]
    public async Task Followups_are_the_tasks_and_the_projects_work_queue()
    {
        var owner = factory.CreateClientFor("fu-owner", "Owner", admin: false);
        var key = await owner.NewProjectAsync("FU");
        await owner.AddMemberAsync(key, "fu-ann", "member");
        await owner.AddMemberAsync(key, "fu-bo", "member");
        await owner.AddMemberAsync(key, "fu-viewer", "viewer");
        var (ann, bo, viewer) = (factory.CreateClientFor("fu-ann", "Ann", admin: false), factory.CreateClientFor("fu-bo", "Bo", admin: false), factory.CreateClientFor("fu-viewer", "Vi", admin: false));
        var task = (await OkAsync(await ann.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Benchmark" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var other = (await OkAsync(await ann.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Docs" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var added = await ann.PostJsonAsync($"/api/tasks/{task}/followups", new { body = "Run it again on a quiet machine" });
        var first = await OkAsync(added, HttpStatusCode.Created);
        Assert.Equal($"/api/tasks/{task}/followups", added.Headers.Location?.OriginalString);
        Assert.Equal(("FU-1", task, 1, "open", "fu-ann", "Ann"), (first.GetProperty("id").GetString(), first.GetProperty("taskId").GetString(), first.GetProperty("number").GetInt32(),
            first.GetProperty("status").GetString(), first.GetProperty("authorId").GetString(), first.GetProperty("author").GetString()));
        await OkAsync(await bo.PostJsonAsync($"/api/tasks/{other}/followups", new { body = "Screenshots" }), HttpStatusCode.Created); // FU-2, numbered per project
        await OkAsync(await ann.PostJsonAsync($"/api/tasks/{task}/followups", new { body = "Compare with the baseline" }), HttpStatusCode.Created);
        await OkAsync(await viewer.PostJsonAsync($"/api/tasks/{task}/followups", new { body = "Viewers read" }), HttpStatusCode.Forbidden);
        await OkAsync(await ann.PostJsonAsync($"/api/tasks/{task}/followups", new { body = "x", author = "someone" }), HttpStatusCode.BadRequest);

        // Bo resolves Ann's followup; he may not reword it; Ann and the owner may.
        var resolved = await OkAsync(await bo.PatchJsonAsync($"/api/tasks/{task}/followups/FU-1", new { status = "resolved" }));
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        await OkAsync(await bo.PatchJsonAsync($"/api/tasks/{task}/followups/FU-1", new { body = "Mine now" }), HttpStatusCode.Forbidden);
        await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}/followups/FU-1", new { body = "Run it again, quietly" }));
        await OkAsync(await owner.PatchJsonAsync($"/api/tasks/{task}/followups/FU-3", new { body = "Compare with the baseline, same run" }));
        await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}/followups/FU-2", new { status = "resolved" }), HttpStatusCode.NotFound); // FU-2 is another task's
        await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}/followups/FU-1", new { status = "closed" }), HttpStatusCode.BadRequest);

        // Lists: the task's, oldest first; the project's open ones (the queue), and all of them.
        var ofTask = (await OkAsync(await viewer.GetAsync($"/api/tasks/{task}/followups"))).GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Equal(["FU-1", "FU-3"], ofTask);
        var open = (await OkAsync(await viewer.GetAsync($"/api/projects/{key}/followups?status=open"))).GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Equal(["FU-2", "FU-3"], open);
        var page = await OkAsync(await viewer.GetAsync($"/api/projects/{key}/followups?limit=2"));
        Assert.Equal(["FU-1", "FU-2"], page.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        var rest = await OkAsync(await viewer.GetAsync($"/api/projects/{key}/followups?limit=2&continuationToken={Uri.EscapeDataString(page.GetProperty("continuationToken").GetString()!)}"));
        Assert.Equal(["FU-3"], rest.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        await OkAsync(await viewer.GetAsync($"/api/projects/{key}/followups?status=open&continuationToken={Uri.EscapeDataString(page.GetProperty("continuationToken").GetString()!)}"), HttpStatusCode.BadRequest); // another list's token
        await OkAsync(await factory.CreateClientFor("fu-stranger", admin: false).GetAsync($"/api/projects/{key}/followups"), HttpStatusCode.NotFound);

        // Part of the task's stream: its history and version; and of the changes feed.
        var history = (await OkAsync(await viewer.GetAsync($"/api/tasks/{task}/history"))).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["task_created", "followup_added", "followup_added", "followup_updated", "followup_updated", "followup_updated"], history);
        var get = await viewer.GetAsync($"/api/tasks/{task}");
        Assert.Equal("\"6\"", get.Headers.ETag?.Tag);
        var changes = (await OkAsync(await viewer.GetAsync($"/api/projects/{key}/changes"))).GetProperty("changes").EnumerateArray()
            .Where(c => c.GetProperty("entity").GetString() == "followup").ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("data"));
        Assert.Equal(["FU-1", "FU-2", "FU-3"], changes.Keys.Order());
        Assert.Equal("Run it again, quietly", changes["FU-1"].GetProperty("body").GetString());
    }
}
