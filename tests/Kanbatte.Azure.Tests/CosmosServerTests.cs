using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kanbatte.Application;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Kanbatte.Testing;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The server over HTTP on the Cosmos DB store, against the same script on the SQLite store: lists, sorts, filters,
/// paging, board and activity must answer with the same tasks in the same order; idempotency keys work on Cosmos too.
/// </summary>
public sealed partial class CosmosServerTests(CosmosServerFactory cosmos) : IClassFixture<CosmosServerFactory>
{
    private static readonly JsonSerializerOptions Json = KanbatteJson.Options;

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        await Task.Delay(3); // distinct milliseconds: both stores then agree on recorded order
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>The same writes on either server.</summary>
    private static async Task ScriptAsync(HttpClient client, string key)
    {
        await SendAsync(client, HttpMethod.Post, "/api/projects", new { key, name = "Parity" });
        foreach (var member in new[] { "ann", "bob" }) await SendAsync(client, HttpMethod.Put, $"/api/projects/{key}/members/{member}", new { role = "member" });
        var tasks = new object[]
        {
            new { title = "Ship the API", priority = "high", labels = new[] { "api" }, assignee = "ann", dueDate = "2026-12-24" },
            new { title = "Write docs", priority = "low", labels = new[] { "docs" } },
            new { title = "Fix login", priority = "urgent", assignee = "bob", dueDate = "2026-12-01", status = "in_progress" },
            new { title = "ship the web app", priority = "medium", labels = new[] { "web", "api" }, assignee = "ann" },
            new { title = "Refactor", status = "ready" },
            new { title = "Plan Q1", priority = "high", dueDate = "2027-01-10" },
        };
        foreach (var task in tasks) await SendAsync(client, HttpMethod.Post, $"/api/projects/{key}/tasks", task);
        await SendAsync(client, HttpMethod.Post, $"/api/tasks/{key}-006/move", new { before = $"{key}-001" });
        await SendAsync(client, HttpMethod.Patch, $"/api/tasks/{key}-002", new { status = "review", priority = "urgent" });
        await SendAsync(client, HttpMethod.Post, $"/api/tasks/{key}-004/comments", new { body = "Looks good" });
        await SendAsync(client, HttpMethod.Post, $"/api/tasks/{key}-005/archive", null);
        await SendAsync(client, HttpMethod.Patch, $"/api/tasks/{key}-001", new { title = "Ship the API v2" });
    }

    private static readonly string[] Lists =
    [
        "", "?sort=-number", "?sort=priority", "?sort=-priority", "?sort=dueDate", "?sort=-dueDate", "?sort=updatedAt", "?sort=-updatedAt",
        "?sort=rank&status=todo", "?label=api", "?assignee=ann", "?q=SHIP", "?archived=true", "?priority=high,urgent", "?status=todo,review&sort=-priority",
    ];

    /// <summary>Every page of a list, following continuation tokens, as the ids in order.</summary>
    private static async Task<List<string>> IdsAsync(HttpClient client, string key, string query, int limit)
    {
        var ids = new List<string>();
        var url = $"/api/projects/{key}/tasks{query}{(query.Length == 0 ? "?" : "&")}limit={limit}";
        for (var next = url; ;)
        {
            var page = await SendAsync(client, HttpMethod.Get, next);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            var token = page.GetProperty("continuationToken");
            if (token.ValueKind == JsonValueKind.Null) return ids;
            next = url + "&continuationToken=" + Uri.EscapeDataString(token.GetString()!);
        }
    }

    [GeneratedRegex("\"id\":\"([A-Z0-9]+-[0-9]+)\"")]
    private static partial Regex TaskIds();

    [Fact]
    public async Task Lists_board_and_activity_answer_as_on_sqlite()
    {
        var key = "P" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var folder = Directory.CreateTempSubdirectory("kanbatte-parity-");
        try
        {
            using var sqlite = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Kanbatte:Sqlite:Path", Path.Combine(folder.FullName, "k.db")).UseTestIssuer());
            var reference = sqlite.CreateClient().WithToken();
            var client = cosmos.CreateClient();
            await ScriptAsync(reference, key);
            await ScriptAsync(client, key);

            foreach (var query in Lists)
            {
                var expected = await IdsAsync(reference, key, query, 100);
                Assert.True(expected.Count > 0, $"'{query}' lists nothing on SQLite");
                Assert.Equal($"{query}: {string.Join(' ', expected)}", $"{query}: {string.Join(' ', await IdsAsync(client, key, query, 100))}");
                Assert.Equal($"{query} in pages of 2: {string.Join(' ', expected)}", $"{query} in pages of 2: {string.Join(' ', await IdsAsync(client, key, query, 2))}");
            }

            var board = await SendAsync(client, HttpMethod.Get, $"/api/projects/{key}/board");
            var referenceBoard = await SendAsync(reference, HttpMethod.Get, $"/api/projects/{key}/board");
            Assert.Equal(TaskIds().Matches(referenceBoard.GetRawText()).Select(m => m.Value), TaskIds().Matches(board.GetRawText()).Select(m => m.Value));

            var activity = await SendAsync(client, HttpMethod.Get, $"/api/projects/{key}/activity?limit=100");
            var referenceActivity = await SendAsync(reference, HttpMethod.Get, $"/api/projects/{key}/activity?limit=100");
            static IEnumerable<string> Types(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()!);
            Assert.True(Types(referenceActivity).Count() >= 12);
            Assert.Equal(Types(referenceActivity), Types(activity));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_lifecycle_works_over_cosmos_with_unique_numbers_under_concurrency()
    {
        var client = cosmos.CreateClient();
        var key = "L" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var created = await client.PostAsJsonAsync("/api/projects", new { key, name = "Life" }, Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/projects", new { key, name = "Again" }, Json)).StatusCode);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => client.PostAsJsonAsync($"/api/projects/{key}/tasks", new { title = $"T{i}" }, Json)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"{key}-{n:D3}"), ids.Order(StringComparer.Ordinal));

        var patched = await client.PatchAsJsonAsync($"/api/tasks/{key}-003", new { status = "done" }, Json);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var read = await client.GetAsync($"/api/tasks/{key}-003");
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (read.StatusCode, read.Headers.ETag?.Tag));
        var history = await (await client.GetAsync($"/api/tasks/{key}-003/history")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, history.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/tasks/{key}-099")).StatusCode);
        var parked = await (await client.GetAsync("/api/admin/dead-letters")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, parked.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task If_match_races_and_time_travel_work_on_cosmos()
    {
        var client = cosmos.CreateClient();
        var key = "M" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await SendAsync(client, HttpMethod.Post, "/api/projects", new { key, name = "Match" });
        var created = await SendAsync(client, HttpMethod.Post, $"/api/projects/{key}/tasks", new { title = "Contended" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/tasks/{key}-001") { Content = JsonContent.Create(new { title = $"Title {i}" }, options: Json) };
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
            return client.SendAsync(request);
        }));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        await Task.Delay(3);

        // As of the creation time: the task as created, and a board holding it in todo.
        var at = Uri.EscapeDataString(created.GetProperty("createdAt").GetString()!);
        var then = await (await client.GetAsync($"/api/tasks/{key}-001?asOf={at}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(created.GetRawText(), then.GetRawText());
        var v1 = await (await client.GetAsync($"/api/tasks/{key}-001?version=1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Contended", v1.GetProperty("title").GetString());
        var board = await (await client.GetAsync($"/api/projects/{key}/board?asOf={at}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Contended", board.GetProperty("columns")[0].GetProperty("tasks")[0].GetProperty("title").GetString());
        var now = await (await client.GetAsync($"/api/projects/{key}/board")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("Title ", now.GetProperty("columns")[0].GetProperty("tasks")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Idempotency_keys_replay_on_cosmos()
    {
        var client = cosmos.CreateClient();
        var key = "I" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        HttpRequestMessage Post(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects") { Content = JsonContent.Create(body, options: Json) };
            request.Headers.Add("Idempotency-Key", "key-" + key);
            return request;
        }

        var first = await client.SendAsync(Post(new { key, name = "Once" }));
        var again = await client.SendAsync(Post(new { key, name = "Once" }));
        var other = await client.SendAsync(Post(new { key, name = "Twice" }));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((HttpStatusCode.Created, await first.Content.ReadAsStringAsync()), (again.StatusCode, await again.Content.ReadAsStringAsync()));
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
    }
}
