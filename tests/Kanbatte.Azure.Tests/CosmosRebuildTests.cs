using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Server;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Tests.Cosmos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The rebuild command on the Cosmos DB store: a damaged view is rebuilt from the log into a new container and made the
/// active view while the server (on the same database) keeps serving reads and writes. The server stands in for the
/// change feed by projecting each append as it is written (see <see cref="CosmosServerFactory"/>), through the same
/// view store that follows the active-view pointer, so it plays the live projector that writes the old container
/// until it picks up the switch.
/// </summary>
public sealed class CosmosRebuildTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string RefreshMs = "200";
    private static readonly JsonSerializerOptions Json = KanbatteJson.Options;
    private readonly CosmosServerFactory _factory = new();
    private WebApplicationFactory<Program> _app = null!;
    private CosmosTestServer _server = null!;

    public async Task InitializeAsync()
    {
        await _factory.InitializeAsync();
        _server = await CosmosTestServer.InstanceAsync();
        _app = _factory.WithWebHostBuilder(b => b.UseSetting("Kanbatte:Cosmos:ActiveViewRefreshMs", RefreshMs));
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private Database Database => _server.Client.GetDatabase(_factory.Database);

    [Fact]
    public async Task A_damaged_view_is_rebuilt_into_a_new_container_and_switched_to_while_reads_and_writes_go_on()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects", new { key = "RB", name = "Rebuild" }, Json)).StatusCode);
        for (var i = 1; i <= 30; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects/RB/tasks", new { title = $"Task {i}" }, Json)).StatusCode);
            if (i % 2 == 0) Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/tasks/RB-{i:D3}", new { status = "done" }, Json)).StatusCode);
            if (i % 3 == 0) Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/tasks/RB-{i:D3}/comments", new { body = $"Comment {i}" }, Json)).StatusCode);
        }

        // Damage the live view: a corrupted task, a lost task, and a document no event explains.
        var old = Database.GetContainer(CosmosOptions.Names.View);
        var (partition, corrupted) = ViewKeys.Task("RB", "RB-001");
        var doc = (await old.ReadItemAsync<JsonObject>(corrupted, new PartitionKey(partition))).Resource;
        doc["data"]!["title"] = "CORRUPTED";
        await old.ReplaceItemAsync(doc, corrupted, new PartitionKey(partition));
        await old.DeleteItemAsync<JsonObject>(ViewKeys.Task("RB", "RB-002").Id, new PartitionKey(partition));
        var orphan = new JsonObject { ["id"] = "task:ZZ-001", ["partition"] = "ZZ", ["kind"] = "task", ["version"] = 9, ["data"] = new JsonObject { ["title"] = "orphan" } };
        await old.CreateItemAsync(orphan, new PartitionKey("ZZ"));
        Assert.Equal("CORRUPTED", (await client.GetFromJsonAsync<JsonElement>("/api/tasks/RB-001")).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/tasks/RB-002")).StatusCode);

        // Readers and a writer run throughout the rebuild.
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var created = new ConcurrentQueue<string>();
        var reads = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var url = random.Next(2) == 0 ? $"/api/tasks/RB-{random.Next(3, 31):D3}" : "/api/projects/RB/tasks?limit=20&status=todo,done";
                var response = await client.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) failures.Enqueue($"{(int)response.StatusCode} for {url}");
                Interlocked.Increment(ref reads);
            }
        })).ToList();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var patched = await client.PatchAsJsonAsync($"/api/tasks/RB-{i % 28 + 3:D3}", new { status = i % 2 == 0 ? "in_progress" : "review" }, Json);
                if (patched.StatusCode != HttpStatusCode.OK) failures.Enqueue($"{(int)patched.StatusCode} for a patch");
                if (i % 4 != 0) continue;
                var posted = await client.PostAsJsonAsync("/api/projects/RB/tasks", new { title = $"During {i}" }, Json);
                if (posted.StatusCode != HttpStatusCode.Created) failures.Enqueue($"{(int)posted.StatusCode} for a create");
                else created.Enqueue((await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }
        });

        await Task.Delay(300);
        var settings = new Dictionary<string, string?>(_server.Settings(_factory.Database))
        {
            ["Kanbatte:Store"] = "Cosmos",
            ["Kanbatte:Cosmos:ActiveViewRefreshMs"] = RefreshMs,
        };
        var text = new StringWriter();
        var exitCode = await RebuildCommand.RunAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), text,
            services => services.PostConfigure<CosmosClientOptions>(o => CosmosTestServer.ConfigureClient(o)));
        output.WriteLine(text.ToString());
        var createdBefore = created.Count;
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(readers.Append(writer));

        Assert.True(exitCode == 0, text.ToString());
        Assert.True(failures.IsEmpty, $"{failures.Count} failed requests during the rebuild, e.g. {string.Join("; ", failures.Take(5))}");
        Assert.True(reads > 20, $"only {reads} reads ran during the rebuild");
        Assert.True(createdBefore > 0 && created.Count > createdBefore, $"{createdBefore} tasks created during the rebuild, {created.Count} in all");

        // The pointer names the new container; the old one is left as it was (with its orphan).
        var pointer = await new CosmosActiveView(_server.Client, new CosmosOptions { Database = _factory.Database }).ReadPointerAsync();
        Assert.NotNull(pointer);
        Assert.StartsWith("view-", pointer.Container);
        Assert.Equal(CosmosOptions.Names.View, pointer.Previous);
        // The rebuilt view is the changes feed's new epoch, set only once the last pass ran: cursors from before are 410.
        Assert.Equal(pointer.Container, pointer.Epoch);
        Assert.Contains("new epoch", text.ToString());
        Assert.Single(await DocumentsAsync(old), d => d["id"]!.GetValue<string>() == "task:ZZ-001");

        // The server answers from the new view: repaired, complete, with every write made during the rebuild.
        Assert.Equal("Task 1", (await client.GetFromJsonAsync<JsonElement>("/api/tasks/RB-001")).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tasks/RB-002")).StatusCode);
        foreach (var id in created) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/tasks/{id}")).StatusCode);

        // The new view is the fold of the log: each stream's document, and the whole container document for document.
        var log = await LogAsync();
        var view = Database.GetContainer(pointer.Container);
        var store = new CosmosViewStore(view);
        Assert.NotEmpty(log);
        foreach (var stream in log.GroupBy(e => e.StreamId))
        {
            var events = stream.ToList();
            var (p, id, expected) = stream.Key.StartsWith(StreamIds.ProjectPrefix, StringComparison.Ordinal)
                ? Key(ViewKeys.Project(stream.Key[StreamIds.ProjectPrefix.Length..]), KanbatteJson.Serialize(EventCodec.FoldProject(events)))
                : Key(ViewKeys.Task(events[0].ProjectKey, stream.Key[StreamIds.TaskPrefix.Length..]), KanbatteJson.Serialize(EventCodec.FoldTask(events)));
            var actual = await store.GetAsync(p, id);
            Assert.True(actual is not null, $"{id} is not in the rebuilt view");
            Assert.Equal(events[^1].Version, actual.Version);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.Json)), $"{id}: {actual.Json} != {expected}");
        }
        var reference = (await Database.CreateContainerAsync("expected", CosmosOptions.PartitionKeys.View)).Container;
        await new Projector(new CosmosViewStore(reference), new CosmosEventStore(new CosmosContainers(_server.Client, new CosmosOptions { Database = _factory.Database }))).ProjectAsync(log);
        Assert.Equal(Canonical(await DocumentsAsync(reference)), Canonical(await DocumentsAsync(view)));

        static (string, string, string) Key((string Partition, string Id) key, string json) => (key.Partition, key.Id, json);
    }

    /// <summary>
    /// A deployment whose log predates the project log (here: the server wrote the copies, and they are all deleted): the
    /// rebuild copies the whole log into it and takes the projects' board snapshots, after which activity and board asOf
    /// answer from it as the log says; a second rebuild finds every copy there and leaves the snapshots be.
    /// </summary>
    [Fact]
    public async Task The_rebuild_backfills_the_project_log_and_takes_board_snapshots()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects", new { key = "BF", name = "Backfill" }, Json)).StatusCode);
        string[] statuses = ["todo", "in_progress", "review", "done"];
        for (var i = 1; i <= 8; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects/BF/tasks", new { title = $"Task {i}" }, Json)).StatusCode);
        for (var i = 0; i < 30; i++)
        {
            await Task.Delay(2); // each event at its own millisecond
            Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/tasks/BF-{i % 8 + 1:D3}", new { status = statuses[i % 4], title = $"Title {i}" }, Json)).StatusCode);
        }

        var projectLog = Database.GetContainer(CosmosOptions.Names.ProjectLog);
        foreach (var id in await ProjectLogAsync<string>("SELECT VALUE c.id FROM c WHERE c.projectKey = 'BF'")) await projectLog.DeleteItemAsync<JsonObject>(id, new PartitionKey("BF"));
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/projects/BF/activity")).GetProperty("items").GetArrayLength());

        var (exitCode, text) = await RebuildAsync("view-backfill-1");
        Assert.True(exitCode == 0, text);
        var log = (await LogAsync()).Where(e => e.ProjectKey == "BF").OrderBy(CosmosEventDocument.SeqOf, StringComparer.Ordinal).ToList();
        Assert.Contains($"{log.Count} events backfilled into the project log", text);
        Assert.Equal(log.Select(e => CosmosEventDocument.IdOf(e.StreamId, e.Version)).Order(StringComparer.Ordinal),
            (await ProjectLogAsync<string>("SELECT VALUE c.id FROM c WHERE c.projectKey = 'BF' AND c.kind = 'event'")).Order(StringComparer.Ordinal));
        var snapshots = await ProjectLogAsync<string>("SELECT VALUE c.seq FROM c WHERE c.projectKey = 'BF' AND c.kind = 'snapshot'");
        Assert.True(snapshots.Count >= 4, $"{snapshots.Count} snapshots for {log.Count} events, 8 tasks, every 5"); // every max(5, 8) events

        // Activity: every event, newest first, page by page.
        var types = new List<string>();
        string? token = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/projects/BF/activity?limit=10" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            types.AddRange(page.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("type").GetString()}"));
            token = page.GetProperty("continuationToken").GetString();
        } while (token is not null);
        Assert.Equal(Enumerable.Reverse(log).Select(e => e.Type), types);

        // The board as of every event's time: the fold of the log up to then.
        foreach (var at in log.Select(e => e.RecordedAt))
        {
            var fold = new BoardFold();
            foreach (var e in log.Where(e => e.RecordedAt <= at)) fold.Apply(e);
            var board = await client.GetFromJsonAsync<JsonElement>($"/api/projects/BF/board?asOf={Uri.EscapeDataString(KanbatteJson.Format(at))}&limit=100");
            var columns = board.GetProperty("columns").EnumerateArray()
                .Select(c => $"{c.GetProperty("status").GetString()}:{c.GetProperty("count").GetInt32()}:{string.Join(",", c.GetProperty("tasks").EnumerateArray().Select(t => $"{t.GetProperty("id").GetString()}/{t.GetProperty("version").GetInt32()}"))}");
            Assert.Equal(fold.Columns(100).Select(c => $"{c.Status}:{c.Count}:{string.Join(",", c.Tasks.Select(t => $"{t.Id}/{t.Version}"))}"), columns);
        }

        // Again: nothing to copy, and the snapshots stay.
        (exitCode, text) = await RebuildAsync("view-backfill-2");
        Assert.True(exitCode == 0, text);
        Assert.Contains(" 0 events backfilled into the project log", text);
        Assert.Superset(snapshots.ToHashSet(), (await ProjectLogAsync<string>("SELECT VALUE c.seq FROM c WHERE c.projectKey = 'BF' AND c.kind = 'snapshot'")).ToHashSet());
    }

    private async Task<(int ExitCode, string Output)> RebuildAsync(string container)
    {
        var settings = new Dictionary<string, string?>(_server.Settings(_factory.Database))
        {
            ["Kanbatte:Store"] = "Cosmos",
            ["Kanbatte:Cosmos:ActiveViewRefreshMs"] = RefreshMs,
            ["Kanbatte:Cosmos:SnapshotEvery"] = "5",
            ["Kanbatte:Cosmos:SnapshotSafetyLagSeconds"] = "0",
            [RebuildCommand.ContainerSetting] = container,
        };
        var text = new StringWriter();
        var exitCode = await RebuildCommand.RunAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), text,
            services => services.PostConfigure<CosmosClientOptions>(o => CosmosTestServer.ConfigureClient(o)));
        output.WriteLine(text.ToString());
        return (exitCode, text.ToString());
    }

    /// <summary>A query of project BF's partition of the project log (the test server wants the key in the query too).</summary>
    private async Task<List<T>> ProjectLogAsync<T>(string sql)
    {
        using var iterator = Database.GetContainer(CosmosOptions.Names.ProjectLog).GetItemQueryIterator<T>(sql, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("BF") });
        var all = new List<T>();
        while (iterator.HasMoreResults) all.AddRange(await iterator.ReadNextAsync());
        return all;
    }

    [Fact]
    public async Task The_rebuild_refuses_a_target_that_is_not_empty()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects", new { key = "NE", name = "Not empty" }, Json)).StatusCode);
        var target = (await Database.CreateContainerAsync("view-left-over", CosmosOptions.PartitionKeys.View)).Container;
        await target.CreateItemAsync(new JsonObject { ["id"] = "x", ["partition"] = "x" }, new PartitionKey("x"));
        var containers = new CosmosContainers(_server.Client, new CosmosOptions { Database = _factory.Database });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new CosmosViewRebuild(containers, new CosmosEventStore(containers),
            new CosmosProjectLog(containers), new CosmosSnapshotStore(new CosmosProjectLog(containers), 1000, TimeSpan.Zero, TimeProvider.System)).RunAsync("view-left-over"));

        Assert.Contains("not empty", refused.Message);
        Assert.Null(await containers.ActiveView.ReadPointerAsync());
    }

    private async Task<List<EventEnvelope>> LogAsync()
    {
        using var iterator = Database.GetContainer(CosmosOptions.Names.EventLog).GetItemQueryIterator<CosmosEventDocument>("SELECT * FROM c");
        var all = new List<CosmosEventDocument>();
        while (iterator.HasMoreResults) all.AddRange(await iterator.ReadNextAsync());
        return all.OrderBy(d => d.StreamId, StringComparer.Ordinal).ThenBy(d => d.Version).Select(d => d.ToEnvelope()).ToList();
    }

    private static async Task<List<JsonObject>> DocumentsAsync(Container container)
    {
        using var iterator = container.GetItemQueryIterator<JsonObject>("SELECT * FROM c");
        var all = new List<JsonObject>();
        while (iterator.HasMoreResults) all.AddRange(await iterator.ReadNextAsync());
        return all;
    }

    /// <summary>The documents without Cosmos DB's system properties, sorted by id, as text to compare.</summary>
    private static List<string> Canonical(List<JsonObject> documents) =>
        documents.Select(d =>
        {
            foreach (var system in d.Select(p => p.Key).Where(k => k.StartsWith('_')).ToList()) d.Remove(system);
            return d;
        }).OrderBy(d => d["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(d => d.ToJsonString()).ToList();
}
