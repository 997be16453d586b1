using System.Text.Json;

namespace Kanbatte.CliTests;

/// <summary>Lists follow continuation tokens to the end, 100 a page, unless --limit stops them.</summary>
[Collection(CliCollection.Name)]
public sealed class PagingTests(CliServer server)
{
    private const int Count = 230;

    [Fact]
    public async Task Task_list_reads_every_page_of_a_long_project()
    {
        using var api = server.Api("ann");
        var key = await api.NewProjectAsync("G");
        for (var i = 1; i <= Count; i++)
        {
            var response = await api.PostJsonAsync($"/api/projects/{key}/tasks", new { title = $"Task {i}", status = i % 3 == 0 ? "ready" : "todo" });
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }
        await using var proxy = await LoopbackProxy.StartAsync(server.Process.BaseAddress);
        var ann = server.As("ann");
        ann.Environment["KANBATTE_URL"] = proxy.Address.ToString();

        // Every task once, in number order, in three requests of up to 100.
        var table = (await ann.OkAsync("task", "list", "-p", key)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID ", table[0]);
        Assert.Equal(Enumerable.Range(1, Count).Select(n => $"{key}-{n:D3}"), table.Skip(1).Select(l => l.Split(' ')[0]));
        var pages = TaskListRequests(proxy, key);
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Contains("limit=100", p));
        Assert.DoesNotContain("continuationToken", pages[0]);
        Assert.Contains("continuationToken=", pages[1]);
        Assert.Contains("continuationToken=", pages[2]);

        // json: one array of every item; markdown: every row.
        using var json = JsonDocument.Parse(await ann.OkAsync("task", "list", "-p", key, "-f", "json"));
        Assert.Equal(Count, json.RootElement.GetArrayLength());
        Assert.Equal($"{key}-{Count:D3}", json.RootElement[Count - 1].GetProperty("id").GetString());
        var markdown = (await ann.OkAsync("task", "list", "-p", key, "-f", "markdown")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Count + 2, markdown.Length);

        // --limit: that many, asking only for what it needs (100, then 50).
        while (proxy.Forwarded.TryDequeue(out _)) { }
        var limited = (await ann.OkAsync("task", "list", "-p", key, "--limit", "150")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(150, limited.Length - 1);
        Assert.Equal($"{key}-150", limited[^1].Split(' ')[0]);
        var limitedPages = TaskListRequests(proxy, key);
        Assert.Equal(2, limitedPages.Count);
        Assert.Contains("limit=100", limitedPages[0]);
        Assert.Contains("limit=50", limitedPages[1]);

        // A filter across pages: every third task is ready.
        using var ready = JsonDocument.Parse(await ann.OkAsync("task", "list", "-p", key, "-s", "ready", "-f", "json"));
        Assert.Equal(Count / 3, ready.RootElement.GetArrayLength());
        Assert.All(ready.RootElement.EnumerateArray(), t => Assert.Equal("ready", t.GetProperty("status").GetString()));

        // Activity: 50 by default (newest first), all with --limit.
        var activity = (await ann.OkAsync("activity", key)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(50, activity.Length - 1);
        using var all = JsonDocument.Parse(await ann.OkAsync("activity", key, "--limit", "1000", "-f", "json"));
        Assert.Equal(Count + 1, all.RootElement.GetArrayLength());
    }

    private static List<string> TaskListRequests(LoopbackProxy proxy, string key) =>
        [.. proxy.Forwarded.Where(r => r.Method == "GET" && r.Path.StartsWith($"/api/projects/{key}/tasks", StringComparison.Ordinal)).Select(r => r.Path)];
}
