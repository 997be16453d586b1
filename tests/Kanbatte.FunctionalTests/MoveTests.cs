using System.Net;
using System.Text.Json;

namespace Kanbatte.FunctionalTests;

/// <summary>Moves through HTTP: neighbours that contradict each other are refused, and a gap that runs out of room rebalances the column.</summary>
public sealed class MoveTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<string> ProjectWithTasksAsync(int count)
    {
        var key = await _client.NewProjectAsync("M");
        for (var i = 1; i <= count; i++)
            Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = $"T{i}" })).StatusCode);
        return key;
    }

    private async Task<List<string>> ColumnAsync(string key)
    {
        var page = await (await _client.GetAsync($"/api/projects/{key}/tasks?status=todo&sort=rank&limit=100")).JsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task Neighbours_in_the_wrong_order_are_refused_naming_before_and_change_nothing()
    {
        var key = await ProjectWithTasksAsync(4);
        var before = factory.EventCount;

        // T2 sits below T1: nothing can follow T2 and precede T1.
        var response = await _client.PostJsonAsync($"/api/tasks/{key}-004/move", new { after = $"{key}-002", before = $"{key}-001" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["before"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(before, factory.EventCount);
        Assert.Equal([$"{key}-001", $"{key}-002", $"{key}-003", $"{key}-004"], await ColumnAsync(key));

        // In order but not adjacent is fine: the task goes between them.
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync($"/api/tasks/{key}-004/move", new { after = $"{key}-001", before = $"{key}-003" })).StatusCode);
        var column = await ColumnAsync(key);
        Assert.True(column.IndexOf($"{key}-001") < column.IndexOf($"{key}-004") && column.IndexOf($"{key}-004") < column.IndexOf($"{key}-003"));
    }

    [Fact]
    public async Task A_gap_out_of_room_rebalances_the_column_with_task_moved_events_on_the_tasks_whose_rank_changes()
    {
        var key = await ProjectWithTasksAsync(5);
        var order = await ColumnAsync(key);
        var untouched = order[0]; // never moved below: only a rebalance changes it
        var etag = (await _client.GetAsync($"/api/tasks/{untouched}")).Headers.ETag?.Tag;

        // Each time the last task goes right after the first, above the one placed there before: the same gap, halved each time.
        for (var i = 0; i < 1_200; i++)
        {
            var moved = order[^1];
            var response = await _client.PostJsonAsync($"/api/tasks/{moved}/move", new { after = untouched });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.InRange((await response.JsonAsync()).GetProperty("rank").GetString()!.Length, 1, 200);
            order.Remove(moved);
            order.Insert(1, moved);
        }

        Assert.Equal(order, await ColumnAsync(key));
        var history = await (await _client.GetAsync($"/api/tasks/{untouched}/history")).JsonAsync();
        var moves = history.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "task_moved").ToList();
        Assert.NotEmpty(moves);
        Assert.All(moves, m => Assert.Equal(JsonValueKind.Undefined, m.GetProperty("data").TryGetProperty("status", out var s) ? s.ValueKind : JsonValueKind.Undefined));
        Assert.NotEqual(etag, (await _client.GetAsync($"/api/tasks/{untouched}")).Headers.ETag?.Tag);
    }
}
