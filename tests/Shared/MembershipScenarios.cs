using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kanbatte.Testing;

/// <summary>
/// Who sees and does what, through HTTP, the same on every store: each user lists only their projects, members are
/// managed by owners with the last owner kept, nothing of a project crosses to someone outside it, every event names its
/// actor, comments are their callers', and idempotency keys are each caller's own.
/// </summary>
public sealed class MembershipScenarios(Func<string, string, HttpClient> clientFor, Func<Task<long>> eventCount)
{
    private static string NewKey(string prefix) => prefix + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static Task<HttpResponseMessage> PutMemberAsync(HttpClient client, string key, string userId, object body) =>
        client.PutAsJsonAsync($"/api/projects/{key}/members/{Uri.EscapeDataString(userId)}", body, Http.Json);

    private static List<string> Keys(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("key").GetString()!).ToList();

    public async Task Each_user_lists_their_own_projects_and_owners_manage_members()
    {
        var (ann, bo) = (clientFor("ms|ann", "Ann"), clientFor("ms/bo", "Bo"));
        var (a, b) = (NewKey("MA"), NewKey("MB"));
        await OkAsync(await ann.PostJsonAsync("/api/projects", new { key = a, name = "Ann's" }), HttpStatusCode.Created);
        await OkAsync(await bo.PostJsonAsync("/api/projects", new { key = b, name = "Bo's" }), HttpStatusCode.Created);

        var annsProjects = Keys(await OkAsync(await ann.GetAsync("/api/projects?limit=100")));
        Assert.Contains(a, annsProjects);
        Assert.DoesNotContain(b, annsProjects);

        // Bo joins Ann's project: it appears in Bo's list; a rename reaches every member's list.
        var added = await OkAsync(await PutMemberAsync(ann, a, "ms/bo", new { role = "viewer", name = "Bo" }), HttpStatusCode.Created);
        Assert.Equal(("ms/bo", "Bo", "viewer"), (added.GetProperty("userId").GetString(), added.GetProperty("name").GetString(), added.GetProperty("role").GetString()));
        await OkAsync(await ann.PatchJsonAsync($"/api/projects/{a}", new { name = "Renamed" }));
        var bosList = await OkAsync(await bo.GetAsync("/api/projects?limit=100"));
        var seen = bosList.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("key").GetString() == a);
        Assert.Equal("Renamed", seen.GetProperty("name").GetString());
        Assert.Equal((await OkAsync(await ann.GetAsync($"/api/projects/{a}"))).GetRawText(), seen.GetRawText());

        // A viewer reads, may not write; the last owner may be neither demoted nor removed; roles change; members leave.
        await OkAsync(await bo.PostJsonAsync($"/api/projects/{a}/tasks", new { title = "Not mine to make" }), HttpStatusCode.Forbidden);
        await OkAsync(await PutMemberAsync(bo, a, "someone", new { role = "viewer" }), HttpStatusCode.Forbidden);
        await OkAsync(await PutMemberAsync(ann, a, "ms|ann", new { role = "member" }), HttpStatusCode.Conflict);
        await OkAsync(await ann.DeleteAsync($"/api/projects/{a}/members/{Uri.EscapeDataString("ms|ann")}"), HttpStatusCode.Conflict);
        await OkAsync(await PutMemberAsync(ann, a, "ms/bo", new { role = "owner" }));
        await OkAsync(await PutMemberAsync(bo, a, "ms|ann", new { role = "member" })); // now Bo is an owner too
        var members = await OkAsync(await bo.GetAsync($"/api/projects/{a}/members"));
        Assert.Equal(new Dictionary<string, string> { ["ms|ann"] = "member", ["ms/bo"] = "owner" },
            members.GetProperty("items").EnumerateArray().ToDictionary(m => m.GetProperty("userId").GetString()!, m => m.GetProperty("role").GetString()!));
        await OkAsync(await bo.DeleteAsync($"/api/projects/{a}/members/{Uri.EscapeDataString("ms|ann")}"), HttpStatusCode.NoContent);
        Assert.DoesNotContain(a, Keys(await OkAsync(await ann.GetAsync("/api/projects?limit=100"))));
        await OkAsync(await ann.GetAsync($"/api/projects/{a}"), HttpStatusCode.NotFound);

        // The activity names who did each of it.
        var activity = await OkAsync(await bo.GetAsync($"/api/projects/{a}/activity?limit=100"));
        var byType = activity.GetProperty("items").EnumerateArray().Select(e => (Type: e.GetProperty("type").GetString(), Actor: e.GetProperty("actor").GetProperty("id").GetString())).ToList();
        Assert.Equal([("member_removed", "ms/bo"), ("member_role_changed", "ms/bo"), ("member_role_changed", "ms|ann"), ("project_updated", "ms|ann"), ("member_added", "ms|ann"), ("project_created", "ms|ann")], byType);
    }

    public async Task Nothing_of_a_project_crosses_to_someone_outside_it()
    {
        var (ann, bo) = (clientFor("mx-ann", "Ann"), clientFor("mx-bo", "Bo"));
        var (a, b) = (NewKey("XA"), NewKey("XB"));
        await OkAsync(await ann.PostJsonAsync("/api/projects", new { key = a, name = "A" }), HttpStatusCode.Created);
        await OkAsync(await ann.PostJsonAsync($"/api/projects/{a}/tasks", new { title = "A's" }), HttpStatusCode.Created);
        await OkAsync(await bo.PostJsonAsync("/api/projects", new { key = b, name = "B" }), HttpStatusCode.Created);
        var task = (await OkAsync(await bo.PostJsonAsync($"/api/projects/{b}/tasks", new { title = "B's" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var comment = (await OkAsync(await bo.PostJsonAsync($"/api/tasks/{task}/comments", new { body = "B's comment" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var created = (await OkAsync(await bo.GetAsync($"/api/tasks/{task}"))).GetProperty("createdAt").GetString()!;
        var before = await eventCount();

        // Ann, a member of A only, aims at B's key, task and comment on every route that takes them.
        var crossing = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, $"/api/projects/{b}", null), (HttpMethod.Head, $"/api/projects/{b}", null), (HttpMethod.Patch, $"/api/projects/{b}", new { name = "Mine" }),
            (HttpMethod.Get, $"/api/projects/{b}/board", null), (HttpMethod.Get, $"/api/projects/{b}/board?asOf=" + Uri.EscapeDataString(created), null),
            (HttpMethod.Get, $"/api/projects/{b}/activity", null), (HttpMethod.Get, $"/api/projects/{b}/members", null),
            (HttpMethod.Put, $"/api/projects/{b}/members/mx-ann", new { role = "owner" }), (HttpMethod.Delete, $"/api/projects/{b}/members/mx-bo", null),
            (HttpMethod.Get, $"/api/projects/{b}/tasks", null), (HttpMethod.Post, $"/api/projects/{b}/tasks", new { title = "Planted" }),
            (HttpMethod.Get, $"/api/tasks/{task}", null), (HttpMethod.Get, $"/api/tasks/{task}?version=1", null), (HttpMethod.Get, $"/api/tasks/{task}?asOf=" + Uri.EscapeDataString(created), null),
            (HttpMethod.Patch, $"/api/tasks/{task}", new { title = "Mine" }), (HttpMethod.Post, $"/api/tasks/{task}/move", new { status = "done" }),
            (HttpMethod.Post, $"/api/tasks/{task}/archive", null), (HttpMethod.Post, $"/api/tasks/{task}/restore", null), (HttpMethod.Get, $"/api/tasks/{task}/history", null),
            (HttpMethod.Get, $"/api/tasks/{task}/comments", null), (HttpMethod.Post, $"/api/tasks/{task}/comments", new { body = "Planted" }),
            (HttpMethod.Patch, $"/api/tasks/{task}/comments/{comment}", new { body = "Mine" }), (HttpMethod.Delete, $"/api/tasks/{task}/comments/{comment}", null),
            // B's comment through a task of A's own: it is not one of that task's comments.
            (HttpMethod.Patch, $"/api/tasks/{a}-001/comments/{comment}", new { body = "Mine" }), (HttpMethod.Delete, $"/api/tasks/{a}-001/comments/{comment}", null),
        };
        foreach (var (method, url, body) in crossing)
        {
            var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, options: Http.Json) };
            var response = await ann.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(before, await eventCount());
        Assert.DoesNotContain(b, Keys(await OkAsync(await ann.GetAsync("/api/projects?limit=100"))));
        // A task of B's named as a neighbour in A: refused like any task that is not in the column.
        await OkAsync(await ann.PostJsonAsync($"/api/tasks/{a}-001/move", new { after = task }), HttpStatusCode.BadRequest);
    }

    public async Task Every_event_names_its_actor_and_comments_their_authors_and_idempotency_keys_their_callers()
    {
        var (ann, bo) = (clientFor("ml-ann", "Ann"), clientFor("ml-bo", "Bo"));
        var key = NewKey("ML");
        await OkAsync(await ann.PostJsonAsync("/api/projects", new { key, name = "Lifecycle" }), HttpStatusCode.Created);
        await OkAsync(await PutMemberAsync(ann, key, "ml-bo", new { role = "member", name = "Bo" }), HttpStatusCode.Created);
        var task = (await OkAsync(await bo.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Research", assignee = "ml-bo" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}", new { status = "in_progress" }));
        var comment = await OkAsync(await bo.PostJsonAsync($"/api/tasks/{task}/comments", new { body = "Started" }), HttpStatusCode.Created);
        Assert.Equal(("ml-bo", "Bo"), (comment.GetProperty("authorId").GetString(), comment.GetProperty("author").GetString()));
        await OkAsync(await bo.PostJsonAsync($"/api/tasks/{task}/comments", new { body = "Signed", author = "Ann" }), HttpStatusCode.BadRequest);

        var history = await OkAsync(await ann.GetAsync($"/api/tasks/{task}/history"));
        Assert.Equal([("task_created", "ml-bo", "Bo"), ("task_updated", "ml-ann", "Ann"), ("comment_added", "ml-bo", "Bo")],
            history.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("actor").GetProperty("id").GetString(), e.GetProperty("actor").GetProperty("name").GetString())));

        // Bo, a member, changes his own comment but not Ann's; Ann, an owner, may change his.
        var bos = comment.GetProperty("id").GetString()!;
        var anns = (await OkAsync(await ann.PostJsonAsync($"/api/tasks/{task}/comments", new { body = "Noted" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await OkAsync(await bo.PatchJsonAsync($"/api/tasks/{task}/comments/{bos}", new { body = "Started, really" }));
        await OkAsync(await bo.PatchJsonAsync($"/api/tasks/{task}/comments/{anns}", new { body = "Bo's now" }), HttpStatusCode.Forbidden);
        await OkAsync(await bo.DeleteAsync($"/api/tasks/{task}/comments/{anns}"), HttpStatusCode.Forbidden);
        await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}/comments/{bos}", new { body = "Tidied by an owner" }));

        // A member who leaves keeps their tasks; a write that does not touch the assignee still goes through; a new
        // assignee must be a member.
        await OkAsync(await ann.DeleteAsync($"/api/projects/{key}/members/ml-bo"), HttpStatusCode.NoContent);
        var kept = await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}", new { title = "Research, handed over" }));
        Assert.Equal("ml-bo", kept.GetProperty("assignee").GetString());
        var refused = await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}", new { assignee = "ml-bo" }), HttpStatusCode.OK); // unchanged: not a change
        Assert.Equal("ml-bo", refused.GetProperty("assignee").GetString());
        var problem = await OkAsync(await ann.PatchJsonAsync($"/api/tasks/{task}", new { assignee = "nobody" }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("assignee", out _));

        // The same Idempotency-Key from two users is two requests: neither is the other's replay.
        await OkAsync(await PutMemberAsync(ann, key, "ml-bo", new { role = "member" }), HttpStatusCode.Created);
        var idem = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> CreateAsync(HttpClient client)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{key}/tasks") { Content = JsonContent.Create(new { title = "Once each" }, options: Http.Json) };
            request.Headers.Add("Idempotency-Key", idem);
            return await client.SendAsync(request);
        }
        var first = await OkAsync(await CreateAsync(ann), HttpStatusCode.Created);
        var replay = await CreateAsync(ann);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        var others = await CreateAsync(bo);
        Assert.False(others.Headers.Contains("Idempotent-Replayed"));
        var second = await OkAsync(others, HttpStatusCode.Created);
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
    }
}
