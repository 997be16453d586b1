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
        var client = factory.CreateClient();
        var key = await client.NewProjectAsync("CT");
        var id = (await (await client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Contended" })).JsonAsync()).GetProperty("id").GetString()!;
        using var contended = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddSingleton<IEventStore>(sp => new AlwaysBehind(sp.GetRequiredService<SqliteEventStore>(), "task:" + id))));
        var before = factory.EventCount;

        var response = await contended.CreateClient().PatchJsonAsync($"/api/tasks/{id}", new { title = "Never lands" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("send it again", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(before, factory.EventCount);
    }

    /// <summary>TEST ONLY: every append to one stream finds that another writer got there first.</summary>
    private sealed class AlwaysBehind(SqliteEventStore inner, string streamId) : IEventStore
    {
        public Task<long> AppendAsync(string stream, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default) =>
            AppendAsync(stream, expectedVersion, events, [], ct);

        public Task<long> AppendAsync(string stream, int expectedVersion, IReadOnlyList<EventEnvelope> events, IReadOnlyList<IInTransactionStep> inTransaction, CancellationToken ct = default) =>
            stream == streamId ? throw new ConcurrencyException(stream, expectedVersion) : inner.AppendAsync(stream, expectedVersion, events, inTransaction, ct);

        public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string stream, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default) =>
            inner.ReadStreamAsync(stream, fromVersion, maxCount, ct);

        public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
            inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
    }
}
