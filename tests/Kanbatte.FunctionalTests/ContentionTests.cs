using System.Net;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.FunctionalTests;

/// <summary>A write whose stream other writers keep changing through every retry is refused with 409, never a 500, and writes nothing.</summary>
public sealed class ContentionTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    [Fact]
    public async Task A_write_that_loses_every_race_is_a_409_problem_and_appends_nothing()
    {
        // A server of its own: the fixture's would hold the file's lock (SqliteServerLock).
        using var server = new KanbatteFactory();
        using var contended = server.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddSingleton<IEventStore>(sp => new AlwaysBehind(sp.GetRequiredService<SqliteEventStore>(), "task:CT-001"))));
        var client = contended.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/projects", new { key = "CT", name = "Contended" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/projects/CT/tasks", new { title = "Contended" })).StatusCode);
        var before = server.EventCount;

        var response = await client.PatchJsonAsync("/api/tasks/CT-001", new { title = "Never lands" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("send it again", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(before, server.EventCount);
    }

    /// <summary>
    /// Another writer of the SQLite file (a second server refuses to start on it, SqliteServerLock; this one stands for any
    /// other) keeps its own counters in memory: a comment whose number it took meanwhile is refused with a 503 problem
    /// (nothing written, never the same number twice), and the same request sent again lands.
    /// </summary>
    [Fact]
    public async Task A_comment_whose_number_another_server_on_the_file_took_is_a_503_problem_and_lands_when_sent_again()
    {
        var client = factory.CreateClient();
        var key = await client.NewProjectAsync("CB");
        await client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Commented" });
        var first = (await (await client.PostJsonAsync($"/api/tasks/{key}-001/comments", new { body = "First" })).JsonAsync()).GetProperty("id").GetString();

        using (var other = new SqliteDatabase(new SqliteOptions { Path = factory.DatabasePath }))
        {
            await new SqliteCounterStore(other).NextAsync(key, KanbatteCommands.CommentCounter); // the second comment's number
            await other.WriteAsync(_ => Task.FromResult(true), CancellationToken.None); // committed with its next write
        }
        var before = factory.EventCount;

        var refused = await client.PostJsonAsync($"/api/tasks/{key}-001/comments", new { body = "Second" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("send the request again", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        Assert.Empty(OpenApiContract.Load().Check("POST", $"/api/tasks/{key}-001/comments", refused, body));
        Assert.Equal(before, factory.EventCount);

        var landed = await client.PostJsonAsync($"/api/tasks/{key}-001/comments", new { body = "Second" });
        Assert.Equal(HttpStatusCode.Created, landed.StatusCode);
        var ids = (await (await client.GetAsync($"/api/tasks/{key}-001/comments")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(first, ids[0]);
        Assert.NotEqual(first, ids[1]);
    }

    /// <summary>TEST ONLY: every append to one stream after its first (the create) finds that another writer got there first.</summary>
    private sealed class AlwaysBehind(SqliteEventStore inner, string streamId) : IEventStore
    {
        public Task<long> AppendAsync(string stream, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default) =>
            AppendAsync(stream, expectedVersion, events, [], ct);

        public Task<long> AppendAsync(string stream, int expectedVersion, IReadOnlyList<EventEnvelope> events, IReadOnlyList<IInTransactionStep> inTransaction, CancellationToken ct = default) =>
            stream == streamId && expectedVersion > 0 ? throw new ConcurrencyException(stream, expectedVersion) : inner.AppendAsync(stream, expectedVersion, events, inTransaction, ct);

        public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string stream, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default) =>
            inner.ReadStreamAsync(stream, fromVersion, maxCount, ct);

        public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
            inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
    }
}
