using System.Net;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.FunctionalTests;

/// <summary><c>GET /api/admin/dead-letters</c> pages like every list, and counts everything parked.</summary>
public sealed class DeadLetterTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Parked_events_page_by_stream_and_version_and_count_is_all_of_them()
    {
        var store = factory.Services.GetRequiredService<IDeadLetterStore>();
        var parked = new[] { ("task:DL-002", 1), ("task:DL-001", 10), ("project:DL", 3), ("task:DL-001", 2), ("task:DL-001", 9) };
        foreach (var (stream, version) in parked)
            await store.ParkAsync(new EventEnvelope(stream, version, "task_teleported", 1, JsonSerializer.SerializeToElement(new { to = "mars" }),
                DateTimeOffset.UtcNow, new EventMetadata("poison")), "boom", DateTimeOffset.UtcNow);

        var seen = new List<(string, int)>();
        string? token = null;
        var pages = 0;
        do
        {
            var response = await _client.GetAsync("/api/admin/dead-letters?limit=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            Assert.Equal(5, page.GetProperty("count").GetInt32());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("streamId").GetString()!, i.GetProperty("version").GetInt32())));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        } while (token is not null && pages < 10);

        Assert.Equal(parked.OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2), seen);
        Assert.Equal(3, pages);

        // A token of another list is not one of this list's.
        await _client.NewProjectAsync();
        await _client.NewProjectAsync();
        var projects = (await (await _client.GetAsync("/api/projects?limit=1")).JsonAsync()).GetProperty("continuationToken").GetString()!;
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/admin/dead-letters?continuationToken=" + Uri.EscapeDataString(projects))).StatusCode);
        var first = await (await _client.GetAsync("/api/admin/dead-letters?limit=1")).JsonAsync();
        var forged = await _client.GetAsync("/api/projects?continuationToken=" + Uri.EscapeDataString(first.GetProperty("continuationToken").GetString()!));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
