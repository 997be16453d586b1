using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The changes feed through HTTP on the self-hosted server: what a first pull and later pulls carry (each entity exactly
/// as its own GET answers it), a cursor split inside one projected batch, and every way a cursor or a caller is refused.
/// </summary>
public sealed class ChangesFeedTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static string Since(string cursor) => "since=" + Uri.EscapeDataString(cursor);

    /// <summary>Pulls until <c>hasMore</c> is false; returns every change in order and the last cursor.</summary>
    private static async Task<(List<JsonElement> Changes, string Cursor)> PullAllAsync(HttpClient client, string key, string? cursor = null, int limit = 500)
    {
        var changes = new List<JsonElement>();
        while (true)
        {
            var page = await OkAsync(await client.GetAsync($"/api/projects/{key}/changes?limit={limit}" + (cursor is null ? "" : "&" + Since(cursor))));
            changes.AddRange(page.GetProperty("changes").EnumerateArray());
            cursor = page.GetProperty("cursor").GetString()!;
            if (!page.GetProperty("hasMore").GetBoolean()) return (changes, cursor);
        }
    }

    private static bool SameJson(JsonElement a, JsonElement b) => JsonNode.DeepEquals(JsonNode.Parse(a.GetRawText()), JsonNode.Parse(b.GetRawText()));

    [Fact]
    public async Task A_first_pull_lists_every_live_entity_as_its_GET_answers_it_and_later_pulls_what_changed()
    {
        var key = await _client.NewProjectAsync("CH");
        await _client.AddMemberAsync(key, "ch|bo", "member");
        var task = await OkAsync(await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Kept" }), HttpStatusCode.Created);
        var archived = await OkAsync(await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Archived" }), HttpStatusCode.Created);
        var id = task.GetProperty("id").GetString()!;
        var archivedId = archived.GetProperty("id").GetString()!;
        await OkAsync(await _client.PostAsync($"/api/tasks/{archivedId}/archive", null));
        var kept = await OkAsync(await _client.PostJsonAsync($"/api/tasks/{id}/comments", new { body = "Kept" }), HttpStatusCode.Created);
        var gone = await OkAsync(await _client.PostJsonAsync($"/api/tasks/{id}/comments", new { body = "Gone" }), HttpStatusCode.Created);
        await OkAsync(await _client.DeleteAsync($"/api/tasks/{id}/comments/{gone.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);

        var (first, cursor) = await PullAllAsync(_client, key, limit: 2);

        var upserts = first.ToDictionary(c => $"{c.GetProperty("entity").GetString()} {c.GetProperty("id").GetString()}");
        Assert.All(first, c => Assert.Equal("upsert", c.GetProperty("op").GetString()));
        Assert.Equal(first.Count, upserts.Count); // each once
        Assert.True(SameJson(await OkAsync(await _client.GetAsync($"/api/projects/{key}")), upserts[$"project {key}"].GetProperty("data")));
        foreach (var taskId in new[] { id, archivedId })
        {
            var get = await _client.GetAsync($"/api/tasks/{taskId}");
            Assert.True(SameJson(await OkAsync(get), upserts[$"task {taskId}"].GetProperty("data")));
            Assert.Equal(get.Headers.ETag!.Tag, $"\"{upserts[$"task {taskId}"].GetProperty("version").GetInt32()}\"");
        }
        Assert.True(upserts[$"task {archivedId}"].GetProperty("data").GetProperty("archived").GetBoolean());
        var comments = (await OkAsync(await _client.GetAsync($"/api/tasks/{id}/comments"))).GetProperty("items").EnumerateArray().ToList();
        Assert.True(SameJson(Assert.Single(comments), upserts[$"comment {kept.GetProperty("id").GetString()}"].GetProperty("data")));
        var members = (await OkAsync(await _client.GetAsync($"/api/projects/{key}/members"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        foreach (var member in members)
            Assert.True(SameJson(member, upserts[$"member {member.GetProperty("userId").GetString()}"].GetProperty("data")));
        Assert.Equal(2 + 2 + 1 + 1, first.Count); // project, 2 members, 2 tasks, 1 comment: the deleted one is not there

        // Later: a comment deleted, a member removed, a task archived, another restored; each told, in order.
        await OkAsync(await _client.DeleteAsync($"/api/tasks/{id}/comments/{kept.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);
        await OkAsync(await _client.DeleteAsync($"/api/projects/{key}/members/{Uri.EscapeDataString("ch|bo")}"), HttpStatusCode.NoContent);
        await OkAsync(await _client.PostAsync($"/api/tasks/{id}/archive", null));
        await OkAsync(await _client.PostAsync($"/api/tasks/{archivedId}/restore", null));
        var (later, _) = await PullAllAsync(_client, key, cursor);
        var told = later.Select(c => (c.GetProperty("entity").GetString(), c.GetProperty("id").GetString(), c.GetProperty("op").GetString())).ToList();
        Assert.Contains(("comment", kept.GetProperty("id").GetString(), "delete"), told);
        Assert.Contains(("member", "ch|bo", "delete"), told);
        Assert.Contains(("task", id, "upsert"), told);
        Assert.Contains(("task", archivedId, "upsert"), told);
        Assert.All(later.Where(c => c.GetProperty("op").GetString() == "delete"), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("data").ValueKind));
        var archivedNow = later.Last(c => c.GetProperty("id").GetString() == id);
        Assert.True(archivedNow.GetProperty("data").GetProperty("archived").GetBoolean());
        Assert.True(SameJson(await OkAsync(await _client.GetAsync($"/api/tasks/{id}")), archivedNow.GetProperty("data")));

        // Nothing new: an empty pull, not told to come back at once.
        var (none, _) = await PullAllAsync(_client, key, cursor: (await PullAllAsync(_client, key, cursor)).Cursor);
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_page_may_end_inside_one_projected_batch_and_the_next_goes_on_from_there()
    {
        var key = await _client.NewProjectAsync("CS");
        var id = (await OkAsync(await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "T" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var (_, cursor) = await PullAllAsync(_client, key);
        // Adding a comment changes two entities in one batch: the comment and its task.
        var comment = (await OkAsync(await _client.PostJsonAsync($"/api/tasks/{id}/comments", new { body = "Two in one" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var first = await OkAsync(await _client.GetAsync($"/api/projects/{key}/changes?limit=1&{Since(cursor)}"));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        var second = await OkAsync(await _client.GetAsync($"/api/projects/{key}/changes?limit=1&{Since(first.GetProperty("cursor").GetString()!)}"));
        var ids = new[] { first, second }.SelectMany(p => p.GetProperty("changes").EnumerateArray()).Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal([comment, id], ids);
        Assert.False(second.GetProperty("hasMore").GetBoolean());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("since=forged", "since")]
    [InlineData("since=eyJwIjoiQUkifQ.AAAAAAAAAAAAAAAAAAAAAA", "since")]
    [InlineData("sinse=x", "sinse")]
    public async Task A_bad_cursor_or_limit_is_a_400_naming_it(string query, string field)
    {
        var key = await _client.NewProjectAsync("CB");
        var problem = await OkAsync(await _client.GetAsync($"/api/projects/{key}/changes?{query}"), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task A_cursor_of_another_project_or_one_tampered_with_is_refused()
    {
        var (a, b) = (await _client.NewProjectAsync("CA"), await _client.NewProjectAsync("CB"));
        var (_, cursorOfA) = await PullAllAsync(_client, a);

        var foreign = await OkAsync(await _client.GetAsync($"/api/projects/{b}/changes?{Since(cursorOfA)}"), HttpStatusCode.BadRequest);
        Assert.Contains("another project", foreign.GetProperty("errors").GetProperty("since")[0].GetString());

        // The payload changed by one character, the signature left as it was.
        var dot = cursorOfA.IndexOf('.');
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(cursorOfA.AsSpan(0, dot));
        var text = System.Text.Encoding.UTF8.GetString(payload).Replace("\"s\":", "\"s\":9", StringComparison.Ordinal);
        var tampered = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(text)) + cursorOfA[dot..];
        await OkAsync(await _client.GetAsync($"/api/projects/{a}/changes?{Since(tampered)}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Strangers_and_members_who_left_get_404()
    {
        var key = await _client.NewProjectAsync("CM");
        await _client.AddMemberAsync(key, "cm-bo", "viewer");
        var bo = factory.CreateClientFor("cm-bo", "Bo", admin: false);
        var (_, cursor) = await PullAllAsync(bo, key); // a viewer may pull

        await OkAsync(await factory.CreateClientFor("cm-stranger", admin: false).GetAsync($"/api/projects/{key}/changes"), HttpStatusCode.NotFound);
        await OkAsync(await _client.DeleteAsync($"/api/projects/{key}/members/cm-bo"), HttpStatusCode.NoContent);
        await OkAsync(await bo.GetAsync($"/api/projects/{key}/changes?{Since(cursor)}"), HttpStatusCode.NotFound);
        await OkAsync(await factory.CreateAnonymousClient().GetAsync($"/api/projects/{key}/changes"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task After_the_view_is_rebuilt_an_earlier_cursor_is_gone_and_a_fresh_pull_gets_everything()
    {
        var key = await _client.NewProjectAsync("CR");
        await OkAsync(await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Survives" }), HttpStatusCode.Created);
        var (before, cursor) = await PullAllAsync(_client, key);

        using (var db = new SqliteDatabase(new SqliteOptions { Path = factory.DatabasePath }))
            await new SqliteViewRebuild(db, new SqliteEventStore(db)).RunAsync();

        var response = await _client.GetAsync($"/api/projects/{key}/changes?{Since(cursor)}");
        var problem = await OkAsync(response, HttpStatusCode.Gone);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("without 'since'", problem.GetProperty("detail").GetString());
        var (after, _) = await PullAllAsync(_client, key);
        Assert.Equal(before.Count, after.Count);
    }
}
