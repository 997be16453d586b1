using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Storage.Sqlite;
using Kanbatte.Tests.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Testing.RoundTrips;

/// <summary>
/// Runs each operation once against a store wrapped in counting decorators, on a warm state (the project, tasks and a
/// comment exist and are projected), and reports every call that reached the store. The counts are exact and
/// machine-independent. Both stores run the same operations; the SQLite feed loop has one row of its own.
/// </summary>
public static class RoundTripMeter
{
    private static readonly EventMetadata Meta = new("round-trips");

    /// <summary>The ports under measurement, already wrapped in counting decorators, and how to project the warm state.</summary>
    /// <param name="Project">A batch as the store's projection handles it (on Cosmos DB: the projector, the project log's copy, snapshots).</param>
    /// <param name="TakeSnapshot">Takes a board snapshot of the warm state, so that the board as of now reads one.</param>
    /// <param name="CopyCost">What projecting a batch costs beyond the projector, per project (Cosmos DB: the copy and the frontier read).</param>
    /// <param name="FirstSightCost">What the first batch of a project this instance sees costs more (Cosmos DB: its latest snapshot and a count).</param>
    /// <param name="WriteGuard">What a view document's write costs beyond the write itself (Cosmos DB: the point read that guards it against going back).</param>
    private sealed record Ports(KanbatteCommands Commands, KanbatteQueries Queries, ProjectAccess Access, Func<IReadOnlyList<EventEnvelope>, Task> Project, ChangesFeed Changes,
        IEventStore UncountedEvents, Func<Task> ProjectAll, Func<Task> TakeSnapshot, int CopyCost = 0, int FirstSightCost = 0, int WriteGuard = 0);

    /// <summary>The measured operations' caller: the owner of the project they run in.</summary>
    private static readonly Caller Owner = new("round-trips", "Round Trips", Admin: false);

    public static async Task<IReadOnlyList<RoundTripRow>> MeasureSqliteAsync()
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-roundtrips-");
        try
        {
            using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(folder.FullName, "k.db") });
            var sqliteEvents = new SqliteEventStore(db);
            var counter = new RoundTripCounter();
            var events = new CountingEventStore(sqliteEvents, sqliteEvents, counter);
            var view = new CountingViewStore(new SqliteViewStore(db), counter);
            var counters = new CountingCounterStore(new SqliteCounterStore(db), counter);
            var checkpoints = new CountingCheckpointStore(new SqliteCheckpointStore(db), counter);
            var pipeline = new WritePipeline(events, TimeProvider.System);
            var access = new ProjectAccess(pipeline);
            var commands = new KanbatteCommands(pipeline, access, counters, view, TimeProvider.System);
            var queries = new KanbatteQueries(view, events, new CountingSnapshotStore(new SqliteSnapshotStore(db), counter));
            var journal = new CountingChangeJournal(new SqliteChangeJournal(db), counter);
            var projector = new Projector(view, events, journal);
            var changes = new ChangesFeed(view, journal, new ChangesOptions(), TimeProvider.System);
            var feed = new FeedProjection(events, checkpoints, projector, new ProjectionProgress(), new ProjectNotifications(), NullLogger<FeedProjection>.Instance);
            Task CatchUp() => feed.CatchUpAsync(CancellationToken.None);
            // The view holds the log up to its head after a catch-up: a snapshot store due at every event copies it.
            async Task TakeSnapshot()
            {
                await new SqliteSnapshotStore(db, every: 1).CaptureAsync();
                _ = await new SqliteSnapshotStore(db).LatestAsync("RT", DateTimeOffset.UtcNow) ?? throw new InvalidOperationException("No board snapshot of the warm state was taken.");
            }
            return await RunAsync(new Ports(commands, queries, access, batch => projector.ProjectAsync(batch), changes, sqliteEvents, CatchUp, TakeSnapshot),
                counter, requests: null, wire: null, crossPartition: null, feedRow: CatchUp);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The Cosmos DB store on the Cosmos-protocol test server, in a database of its own, through a client of its own that
    /// counts the data-plane requests the SDK sends (<see cref="CosmosRequestCounter"/>) and every HTTP request on the
    /// wire (<see cref="CosmosWireCounter"/>). The projector is the one the change-feed function runs (resilient, parking
    /// failures), called with a batch of one event; the change feed and its leases are the Functions host's and not counted.
    /// </summary>
    public static async Task<IReadOnlyList<RoundTripRow>> MeasureCosmosAsync()
    {
        var server = await CosmosTestServer.InstanceAsync();
        var database = CosmosTestServer.NewDatabaseName();
        var requests = new RoundTripCounter();
        var wire = new RoundTripCounter();
        var crossPartition = new RoundTripCounter();
        var clientOptions = new CosmosClientOptions { HttpClientFactory = () => new HttpClient(new CosmosWireCounter(wire)) };
        clientOptions.CustomHandlers.Add(new CosmosRequestCounter(requests, crossPartition));
        using var client = new CosmosClient(server.ConnectionString, CosmosTestServer.ConfigureClient(clientOptions));
        try
        {
            // The active view's pointer is read once per refresh interval (5 s by default), not per operation: kept for
            // the whole run, so a refresh that falls due during one operation is not charged to it.
            var containers = new CosmosContainers(client, new CosmosOptions { Database = database, ActiveViewRefreshMs = 600_000 });
            await containers.CreateIfNotExistsAsync();
            var cosmosEvents = new CosmosEventStore(containers);
            var counter = new RoundTripCounter();
            var events = new CountingEventStore(cosmosEvents, NoFeed.Instance, counter);
            var view = new CountingViewStore(new CosmosViewStore(containers), counter);
            var counters = new CountingCounterStore(new CosmosCounterStore(containers), counter);
            var pipeline = new WritePipeline(events, TimeProvider.System);
            var access = new ProjectAccess(pipeline);
            var commands = new KanbatteCommands(pipeline, access, counters, view, TimeProvider.System);
            var projectLog = new CosmosProjectLog(containers);
            var snapshots = new CosmosSnapshotStore(projectLog, CosmosSnapshotStore.DefaultEvery, CosmosSnapshotStore.DefaultSafetyLag, TimeProvider.System);
            var queries = new KanbatteQueries(view, events, new CountingSnapshotStore(snapshots, counter));
            var journal = new CountingChangeJournal(new CosmosChangeJournal(containers, new ChangesOptions(), TimeProvider.System), counter);
            var projector = new ResilientProjector(new Projector(view, events, journal), new CosmosDeadLetterStore(containers), new CosmosTransientErrors(),
                TimeProvider.System, NullLogger<ResilientProjector>.Instance);
            var changes = new ChangesFeed(view, journal, new ChangesOptions(), TimeProvider.System);

            // What the change-feed function runs for a batch: the projector, the project log's copy, board snapshots when due.
            async Task Project(IReadOnlyList<EventEnvelope> batch)
            {
                await projector.ProjectAsync(batch);
                counter.Hit("projectlog.copy");
                await projectLog.CopyAsync(batch);
                counter.Hit("snapshot.capture");
                await snapshots.CaptureAsync(batch);
            }
            // What the change feed would deliver for the warm state: every stream of the project, read from the log.
            async Task ProjectAll()
            {
                var streams = new List<string> { StreamIds.Project("RT") };
                streams.AddRange(Enumerable.Range(1, WarmTasks).Select(n => StreamIds.Task($"RT-{n:000}")));
                foreach (var stream in streams) await Project(await cosmosEvents.ReadStreamAsync(stream, 1));
            }
            // A snapshot store due at every event, with no safety lag, takes one of the warm state from the project log.
            async Task TakeSnapshot()
            {
                if (await new CosmosSnapshotStore(projectLog, every: 1, TimeSpan.Zero, TimeProvider.System).CatchUpAsync("RT") == 0)
                    throw new InvalidOperationException("No board snapshot of the warm state was taken.");
            }
            return await RunAsync(new Ports(commands, queries, access, Project, changes, cosmosEvents, ProjectAll, TakeSnapshot, CopyCost: 2, FirstSightCost: 2, WriteGuard: 1),
                counter, requests, wire, crossPartition, feedRow: null);
        }
        finally
        {
            await server.DeleteDatabaseAsync(database);
        }
    }

    private const int WarmTasks = 3;

    private static async Task<IReadOnlyList<RoundTripRow>> RunAsync(Ports ports, RoundTripCounter counter, RoundTripCounter? requests, RoundTripCounter? wire,
        RoundTripCounter? crossPartition, Func<Task>? feedRow)
    {
        var (commands, queries, access) = (ports.Commands, ports.Queries, ports.Access);

        // Warm state: a project with a few tasks and a comment (so both counters exist), all projected, and each read
        // path used once (a Cosmos client caches the account, containers and partition key ranges on first use).
        await commands.CreateProjectAsync(Owner, () => new CreateProject("RT", "Round trips", null, null), Meta);
        for (var i = 0; i < WarmTasks; i++) await commands.CreateTaskAsync(Owner, "RT", () => new CreateTask($"Warm {i}", null, null), Meta);
        await commands.AddCommentAsync(Owner, "RT-001", () => new AddComment("Warm comment"), Meta);
        await ports.ProjectAll();
        await queries.GetTaskAsync("RT-001");
        await queries.ListTasksAsync(new TaskListQuery("RT", [], 0, 2));
        await queries.ListCommentsAsync("RT-001", 0, 50);
        await ports.Changes.PullAsync("RT", null, 500);
        await ports.TakeSnapshot();
        await queries.ActivityAsync("RT", null, 50);
        await queries.BoardAsOfAsync("RT", DateTimeOffset.UtcNow, 50);
        var rows = new List<RoundTripRow>();

        async Task<T> Measure<T>(string operation, int budget, string rule, Func<Task<T>> run)
        {
            counter.Reset();
            requests?.Reset();
            wire?.Reset();
            crossPartition?.Reset();
            var result = await run();
            var onWire = wire?.Snapshot() ?? new Dictionary<string, int>();
            var data = onWire.GetValueOrDefault(CosmosWireCounter.Data);
            rows.Add(new RoundTripRow(operation, counter.Snapshot(), counter.Total, budget, rule, requests?.Snapshot(), data, onWire.Values.Sum() - data,
                crossPartition?.Total ?? 0));
            return result;
        }

        // Every command and read on a project checks the caller's membership on the project stream: one stream read
        // where nothing is cached (the function app; the self-hosted server decides on its cached state and reads nothing).
        const string command = "membership (1 stream read) + 1 stream read + 1 append";
        const string creation = "membership (1 stream read) + 1 append + 1 counter";
        await Measure("create project", 1, "1 append (a new stream needs no read)", () => commands.CreateProjectAsync(Owner, () => new CreateProject("RU", "Other", null, null), Meta));
        var task = await Measure("create task", 3, creation, () => commands.CreateTaskAsync(Owner, "RT", () => new CreateTask("Measured", "text", null), Meta));
        await Measure("update task", 3, command, () => commands.ChangeTaskAsync(Owner, task.Id, () => (new ChangeTask(null, null, Statuses.InProgress), null), Meta));
        await Measure("update task (no change)", 2, "membership (1 stream read) + 1 stream read, nothing appended", () => commands.ChangeTaskAsync(Owner, task.Id, () => (new ChangeTask(null, null, Statuses.InProgress), null), Meta));
        await Measure("add comment", 4, "membership (1 stream read) + 1 stream read + 1 counter + 1 append", () => commands.AddCommentAsync(Owner, task.Id, () => new AddComment("Measured comment"), Meta));

        // Each event projected on its own (the worst case: a batch of one), then its changes journal entry: one append
        // (on Cosmos DB a counter increment and a create; the counter's creation too for a project's first entry).
        var log = await ports.UncountedEvents.ReadStreamAsync(StreamIds.Task(task.Id), 1);
        var project = await ports.UncountedEvents.ReadStreamAsync(StreamIds.Project("RU"), 1);
        // On Cosmos DB a batch is also copied into the project log (per event a create; per project a read of its snapshot
        // frontier), and the first batch of a project an instance sees looks at its snapshots (2 queries); the capture
        // costs nothing more until a snapshot is due.
        var (copy, firstSight) = ports.CopyCost == 0 ? ("", "") : ($" + project log copy and frontier read ({ports.CopyCost})", $" + first sight: latest snapshot and a count ({ports.FirstSightCost})");
        // And on Cosmos DB each view document written is read first, so that no write moves it back.
        var write = ports.WriteGuard == 0 ? "1 write" : $"1 write guarded by a read ({1 + ports.WriteGuard})";
        await Measure("project project_created (project + its owner: member and their copy)", 7 + 3 * ports.WriteGuard + ports.CopyCost + ports.FirstSightCost,
            $"1 read + {write} per document (3 documents) + the journal's first entry (3)" + copy + firstSight, () => Run(ports.Project(project)));
        await Measure("project task_created", 4 + ports.WriteGuard + ports.CopyCost, $"1 read + {write} per document + journal (2)" + copy, () => Run(ports.Project([log[0]])));
        await Measure("project task_updated", 4 + ports.WriteGuard + ports.CopyCost, $"1 read + {write} per document + journal (2)" + copy, () => Run(ports.Project([log[1]])));
        await Measure("project comment_added (task + comment)", 6 + 2 * ports.WriteGuard + ports.CopyCost, $"1 read + {write} per document (2 documents) + journal (2)" + copy, () => Run(ports.Project([log[2]])));
        await Measure("project a duplicate", 4 + ports.CopyCost, "1 read, no write; the entities it is about told again: 1 read + journal (2)" + copy, () => Run(ports.Project([log[2]])));
        if (feedRow is not null)
        {
            await ports.ProjectAll(); // the feed's checkpoint moves past what was projected by hand above
            await commands.ChangeTaskAsync(Owner, task.Id, () => (new ChangeTask("Renamed", null, null), null), Meta);
            await Measure("feed catch-up (1 new event)", 7, "checkpoint get + 2 feed reads + projection (2) + journal + checkpoint save", () => Run(feedRow()));
        }

        // A read as its route makes it: the caller's membership first, then the read itself.
        Task Member() => access.RequireAsync(Owner, "RT", ProjectRoles.Viewer, () => new NotFoundException("Project", "RT"), CancellationToken.None);
        await Measure("get task", 2, "membership (1 stream read) + 1 point read", async () => { await Member(); return await queries.GetTaskAsync(task.Id); });
        await Measure("list one page of tasks", 2, "membership (1 stream read) + 1 query", async () => { await Member(); return await queries.ListTasksAsync(new TaskListQuery("RT", [], 0, 2)); });
        await Measure("list one page of comments", 2, "membership (1 stream read) + 1 query", async () => { await Member(); return await queries.ListCommentsAsync(task.Id, 0, 50); });
        await Measure("task history page", 2, "membership (1 stream read) + 1 stream read", async () => { await Member(); return await queries.HistoryAsync(task.Id, 0, 50); });
        await Measure("list one page of the caller's projects", 1, "1 query (the caller's own partition)", () => queries.ListProjectsAsync(Owner.Id, null, 50));
        await Measure("activity page", 3, "membership (1 stream read) + project point read + 1 query of the project's events",
            async () => { await Member(); return await queries.ActivityAsync("RT", null, 50); });
        await Measure("board asOf", 4, "membership (1 stream read) + the project's first event (1 stream read) + latest snapshot (1 query) + 1 page of the events after it",
            async () => { await Member(); return await queries.BoardAsOfAsync("RT", DateTimeOffset.UtcNow, 50); });

        // The changes feed: a first pull of a small project (one page), and a later pull with its cursor.
        var first = await Measure("changes: a first pull (one page)", 7, "membership (1 stream read) + epoch + journal head + fence (Cosmos DB: 2 writes at once; SQLite: nothing) + project point read + 1 query + journal head",
            async () => { await Member(); return await ports.Changes.PullAsync("RT", null, 500); });
        await Measure("changes: a later pull", 3, "membership (1 stream read) + epoch + 1 journal query",
            async () => { await Member(); return await ports.Changes.PullAsync("RT", first.Cursor, 500); });
        return rows;
    }

    public static string ToMarkdown(IReadOnlyList<RoundTripRow> rows)
    {
        static string Join(IReadOnlyDictionary<string, int> calls) => string.Join(", ", calls.Select(c => $"{c.Key} {c.Value}"));
        static string Budget(RoundTripRow r) => $"≤ {r.Budget} ({r.BudgetRule}){(r.WithinBudget ? "" : " **over budget**")}";
        if (rows.All(r => r.Requests is null))
            return string.Join(Environment.NewLine, new[] { "| operation | round trips | calls | budget |", "|---|---:|---|---|" }
                .Concat(rows.Select(r => $"| {r.Operation} | {r.Total} | {Join(r.Calls)} | {Budget(r)} |")));
        return string.Join(Environment.NewLine, new[]
            {
                "| operation | port calls | calls | requests | requests sent | cross-partition queries | HTTP: to items + metadata | budget |",
                "|---|---:|---|---:|---|---:|---|---|",
            }
            .Concat(rows.Select(r => $"| {r.Operation} | {r.Total} | {Join(r.Calls)} | {r.RequestTotal} | {Join(r.Requests ?? new Dictionary<string, int>())} | {r.CrossPartitionQueries} | {r.WireDataRequests} + {r.MetadataRequests} | {Budget(r)} |")));
    }

    /// <summary>
    /// The request counter's cross-partition detection, on the test server: a project's events queried across the event
    /// log's partitions (as activity was read before the project log) and the same query within one stream's partition.
    /// Returns the cross-partition queries counted for each.
    /// </summary>
    public static async Task<(int Across, int Within)> ProbeCrossPartitionAsync()
    {
        var server = await CosmosTestServer.InstanceAsync();
        var database = CosmosTestServer.NewDatabaseName();
        var crossPartition = new RoundTripCounter();
        var clientOptions = new CosmosClientOptions();
        clientOptions.CustomHandlers.Add(new CosmosRequestCounter(new RoundTripCounter(), crossPartition));
        using var client = new CosmosClient(server.ConnectionString, CosmosTestServer.ConfigureClient(clientOptions));
        try
        {
            var containers = new CosmosContainers(client, new CosmosOptions { Database = database });
            await containers.CreateIfNotExistsAsync();
            var events = new CosmosEventStore(containers);
            foreach (var stream in new[] { "project:XP", "task:XP-001", "task:XP-002" })
                await events.AppendAsync(stream, 0, [new EventEnvelope(stream, 1, "x", 1, System.Text.Json.JsonSerializer.SerializeToElement(new { }), DateTimeOffset.UtcNow, new EventMetadata("probe"))]);

            async Task<int> Count(QueryRequestOptions options, string sql)
            {
                crossPartition.Reset();
                using var iterator = containers.EventLog.GetItemQueryIterator<CosmosEventDocument>(new QueryDefinition(sql), requestOptions: options);
                while (iterator.HasMoreResults) await iterator.ReadNextAsync();
                return crossPartition.Total;
            }
            var across = await Count(new QueryRequestOptions(), "SELECT * FROM c WHERE c.projectKey = 'XP' ORDER BY c.seq");
            var within = await Count(new QueryRequestOptions { PartitionKey = new PartitionKey("task:XP-001") },
                "SELECT * FROM c WHERE c.streamId = 'task:XP-001' AND c.projectKey = 'XP' ORDER BY c.seq");
            return (across, within);
        }
        finally
        {
            await server.DeleteDatabaseAsync(database);
        }
    }

    private static async Task<bool> Run(Task task)
    {
        await task;
        return true;
    }

    /// <summary>Cosmos DB has no feed port (the change feed is the Functions host's), so the decorator's feed is never called.</summary>
    private sealed class NoFeed : IEventFeed
    {
        public static readonly NoFeed Instance = new();

        public Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken ct = default) =>
            throw new NotSupportedException("Cosmos DB is read through its change feed.");
    }
}
