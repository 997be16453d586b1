using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// A project made before users existed has no owner: operators list such projects and give them their first owner, and
/// see nothing else of them. Bodies: a route that takes one needs JSON, a route that takes none refuses one.
/// </summary>
public sealed class OwnerlessProjectTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    [Fact]
    public async Task An_operator_gives_a_project_from_before_users_its_first_owner_and_sees_nothing_else_of_it()
    {
        // The first release's project_created (schema 1), as an old log holds it: no owner.
        var key = "OLD" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        using (var db = new SqliteDatabase(new SqliteOptions { Path = factory.DatabasePath }))
            await new SqliteEventStore(db).AppendAsync(StreamIds.Project(key), 0,
                [new EventEnvelope(StreamIds.Project(key), 1, EventTypes.ProjectCreated, 1,
                    JsonSerializer.SerializeToElement(new { key, name = "From before users", description = (string?)null, repository = (string?)null }),
                    DateTimeOffset.UtcNow, new EventMetadata("old"))]);
        var op = factory.CreateClientFor("op-1", "Operator", admin: true);
        var user = factory.CreateClientFor("first-owner", "First Owner");

        // The server's feed projection picks up what another writer of the file appended.
        JsonElement unowned = default;
        for (var i = 0; i < 50 && !Listed(unowned, key); i++)
        {
            await Task.Delay(100);
            unowned = await (await op.GetAsync("/api/admin/projects?owned=false&limit=100")).Content.ReadFromJsonAsync<JsonElement>();
        }
        Assert.True(Listed(unowned, key), unowned.ToString());
        Assert.Equal("From before users", unowned.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("key").GetString() == key).GetProperty("name").GetString());

        // Only operators list them; an operator sees none of the project's content, nor may anyone else make it theirs.
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/admin/projects?owned=false")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/api/projects/{key}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.PutAsJsonAsync($"/api/projects/{key}/members/first-owner", new { role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PutAsJsonAsync($"/api/projects/{key}/members/first-owner", new { role = "member" })).StatusCode);

        var given = await op.PutAsJsonAsync($"/api/projects/{key}/members/first-owner", new { role = "owner", name = "First Owner" });
        Assert.Equal(HttpStatusCode.Created, given.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/api/projects/{key}")).StatusCode);
        Assert.Contains(key, (await (await user.GetAsync("/api/projects?limit=100")).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("items").EnumerateArray().Select(p => p.GetProperty("key").GetString()));
        Assert.False(Listed(await (await op.GetAsync("/api/admin/projects?owned=false&limit=100")).Content.ReadFromJsonAsync<JsonElement>(), key));

        // Now it has an owner, the operator manages its members no more.
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PutAsJsonAsync($"/api/projects/{key}/members/op-1", new { role = "owner" })).StatusCode);
        var activity = await (await user.GetAsync($"/api/projects/{key}/activity")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([("member_added", "op-1"), ("project_created", (string?)null)],
            activity.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("actor").ValueKind == JsonValueKind.Null ? null : e.GetProperty("actor").GetProperty("id").GetString())));
    }

    private static bool Listed(JsonElement page, string key) =>
        page.ValueKind == JsonValueKind.Object && page.GetProperty("items").EnumerateArray().Any(p => p.GetProperty("key").GetString() == key);

    [Fact]
    public async Task A_body_needs_a_json_content_type_and_a_route_without_a_body_refuses_one()
    {
        var client = factory.CreateClient();
        var key = await client.NewProjectAsync("BD");
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "t" })).StatusCode);
        var before = factory.EventCount;

        // No content type on a body: 415, as a form or text would be (a page on another origin cannot send JSON without a preflight).
        var untyped = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{key}/tasks") { Content = new ByteArrayContent("{\"title\":\"x\"}"u8.ToArray()) };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.SendAsync(untyped)).StatusCode);

        // A body where none is taken: 400 naming it; an empty one with a JSON content type, as fetch sends, is none.
        foreach (var url in new[] { $"/api/tasks/{key}-001/archive", $"/api/tasks/{key}-001/restore" })
        {
            var response = await client.SendRawAsync(HttpMethod.Post, url, "{\"really\":true}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("body", out _));
        }
        Assert.Equal(before, factory.EventCount);
        Assert.Equal(HttpStatusCode.OK, (await client.SendRawAsync(HttpMethod.Post, $"/api/tasks/{key}-001/archive", "")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/tasks/{key}-001/restore", null)).StatusCode);
    }
}
