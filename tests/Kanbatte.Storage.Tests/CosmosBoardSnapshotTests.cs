using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Tests.Cosmos;
using Microsoft.Azure.Cosmos;
using Xunit.Abstractions;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// Board snapshots on Cosmos DB, on the Cosmos-protocol test server: taken by the change-feed projection from the project
/// log, they give the same board as folding the whole log up to any time, also when events reach the projection late,
/// out of order and twice through two leases; a late event deletes the snapshots it came too late for, a taker whose
/// snapshot misses an event discards it, and boards fold a bounded number of events after their snapshot.
/// </summary>
public sealed class CosmosBoardSnapshotTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Every = 10;
    private static readonly EventMetadata Meta = new("cosmos-snapshots");
    private CosmosTestServer _server = null!;
    private string _database = null!;
    private CosmosContainers _containers = null!;

    public async Task InitializeAsync()
    {
        _server = await CosmosTestServer.InstanceAsync();
        _database = CosmosTestServer.NewDatabaseName();
        _containers = new CosmosContainers(_server.Client, new CosmosOptions { Database = _database });
        await _containers.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _server.DeleteDatabaseAsync(_database);

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public async Task Boards_as_of_every_event_equal_the_fold_of_the_log_though_events_arrive_late_out_of_order_and_twice(int seed)
    {
        var clock = new TickingClock();
        var events = new CosmosEventStore(_containers);
        var delivery = new LeasedDelivery(events);
        var view = new CosmosViewStore(_containers);
        var pipeline = new WritePipeline(delivery, clock);
        var commands = new KanbatteCommands(pipeline, new ProjectAccess(pipeline), new CosmosCounterStore(_containers), view, clock);
        const string key = "LS";
        await commands.CreateProjectAsync(new CreateProject(key, "Late snapshots", null, null), Meta);

        // Two projector instances, each with its own project log client state and snapshot tally, no safety lag: every
        // snapshot is taken as soon as it is due, so events of the other lease keep arriving after it.
        var instances = Enumerable.Range(0, LeasedDelivery.Leases).Select(_ => new Instance(_containers, events, view, clock)).ToList();
        using var stop = new CancellationTokenSource();
        var projectors = instances.Select((instance, lease) => Task.Run(() => delivery.RunAsync(lease, instance, new Random(seed * 10 + lease), stop.Token))).ToList();
        // Three writers: tasks (at most 20, each changed only once its creation is done), changes, archives and restores, comments.
        var created = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var creations = 0;
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed * 100 + w);
            for (var i = 0; i < 50; i++)
            {
                if (created.IsEmpty || (random.Next(4) == 0 && Interlocked.Increment(ref creations) <= 20))
                {
                    created.Enqueue((await commands.CreateTaskAsync(key, new CreateTask($"Task {w}.{i}", null, Statuses.All[random.Next(5)]), Meta)).Id);
                    continue;
                }
                var known = created.ToArray();
                var task = known[random.Next(known.Length)];
                switch (random.Next(6))
                {
                    case 0: await commands.ArchiveTaskAsync(task, random.Next(2) == 0, null, Meta); break;
                    case 1: await commands.AddCommentAsync(task, new AddComment($"Comment {w}.{i}"), Meta); break;
                    default: await commands.ChangeTaskAsync(task, new ChangeTask($"Title {w}.{i}", null, Statuses.All[random.Next(5)]), null, Meta); break;
                }
            }
        })).ToList();
        await Task.WhenAll(writers);
        stop.Cancel();
        await Task.WhenAll(projectors);
        Assert.True(delivery.Drained);
        // The project's next events would make its snapshots due again: after the last late event, each instance looks once more.
        foreach (var instance in instances) await instance.Snapshots.CatchUpAsync(key);

        var log = await LogAsync(key);
        Assert.Equal(log.Select(Id).Order(StringComparer.Ordinal), (await CopiesAsync(key)).Order(StringComparer.Ordinal));
        var taken = instances.Sum(i => i.Snapshots.Taken);
        var invalidated = instances.Sum(i => i.Log.SnapshotDocumentsInvalidated);
        var discarded = instances.Sum(i => i.Snapshots.Discarded);
        output.WriteLine($"seed {seed}: {log.Count} events, {taken} snapshots published, {invalidated} snapshot documents deleted by late events, {discarded} discarded by their takers");
        Assert.True(taken >= log.Count / 20, $"only {taken} snapshots for {log.Count} events");

        await AssertEveryBoardAsOfIsTheFoldAsync(key, log, view);
    }

    [Fact]
    public async Task A_late_event_deletes_the_snapshots_after_it_and_they_are_taken_again_from_the_one_before()
    {
        var (log, late) = await WriteAsync("LT", tasks: 6, changes: 60, lateAt: 35);
        var projectLog = new CosmosProjectLog(_containers);
        var snapshots = new CosmosSnapshotStore(projectLog, Every, TimeSpan.Zero, new TickingClock(log[^1].RecordedAt));
        await projectLog.CopyAsync(log.Where(e => e != late).ToList());
        Assert.True(await snapshots.CatchUpAsync("LT") >= 5);
        Assert.Contains(await HeadsAsync("LT"), seq => string.CompareOrdinal(seq, CosmosEventDocument.SeqOf(late)) > 0);

        // The late event arrives (delivered by a lease that was behind): every snapshot after it goes, those before stay.
        await projectLog.CopyAsync([late]);
        Assert.True(projectLog.SnapshotDocumentsInvalidated > 0);
        var left = await HeadsAsync("LT");
        Assert.NotEmpty(left);
        Assert.All(left, seq => Assert.True(string.CompareOrdinal(seq, CosmosEventDocument.SeqOf(late)) < 0, $"{seq} is after the late event"));
        // Correct, though no longer bounded: the events after the last snapshot left are folded until snapshots are taken again.
        await AssertEveryBoardAsOfIsTheFoldAsync("LT", log, new CosmosViewStore(_containers), snapshots, bounded: false);

        // The project's next look takes them again, from the last one before the late event, and they hold it.
        Assert.True(await snapshots.CatchUpAsync("LT") >= 3);
        Assert.Contains(await HeadsAsync("LT"), seq => string.CompareOrdinal(seq, CosmosEventDocument.SeqOf(late)) > 0);
        await AssertEveryBoardAsOfIsTheFoldAsync("LT", log, new CosmosViewStore(_containers), snapshots);

        // A copy delivered again after the last snapshot deletes nothing.
        var before = projectLog.SnapshotDocumentsInvalidated;
        await projectLog.CopyAsync([log[^1]]);
        Assert.Equal(before, projectLog.SnapshotDocumentsInvalidated);
    }

    /// <summary>
    /// A copier that has written a late event's copy but not yet looked for the snapshots after it (still running, or
    /// stopped and waiting for redelivery): a snapshot taken meanwhile from a snapshot that misses the event is discarded
    /// by its taker, because the copies up to it count one more than it folded; the copier's look then deletes the old one.
    /// </summary>
    [Fact]
    public async Task A_taker_discards_a_snapshot_that_misses_an_event_copied_while_it_folded()
    {
        var (log, late) = await WriteAsync("RC", tasks: 4, changes: 40, lateAt: 12);
        var projectLog = new CosmosProjectLog(_containers);
        var clock = new TickingClock(log[^1].RecordedAt);
        var snapshots = new CosmosSnapshotStore(projectLog, Every, TimeSpan.Zero, clock);
        var early = log.TakeWhile(e => string.CompareOrdinal(CosmosEventDocument.SeqOf(e), CosmosEventDocument.SeqOf(log[25])) <= 0).ToList();
        await projectLog.CopyAsync(early.Where(e => e != late).ToList());
        Assert.True(await snapshots.CatchUpAsync("RC") >= 1);
        var stale = await HeadsAsync("RC");

        // The late copy is written, its copier's look at the snapshots not yet made.
        await _containers.ProjectLog.CreateItemAsync(new
        {
            id = CosmosEventDocument.IdOf(late.StreamId, late.Version), projectKey = "RC", kind = "event", seq = CosmosEventDocument.SeqOf(late),
            streamId = late.StreamId, version = late.Version, type = late.Type, schemaVersion = late.SchemaVersion, data = late.Data,
            recordedAt = late.RecordedAt, metadata = late.Metadata,
        }, new PartitionKey("RC"));
        await projectLog.CopyAsync(log.Except(early).ToList());
        Assert.Equal(0, await snapshots.CatchUpAsync("RC"));
        Assert.Equal(1, snapshots.Discarded);
        Assert.Equal(stale, await HeadsAsync("RC")); // nothing published after the stale one

        // The copier's look (its batch delivered again) deletes the stale snapshot; the next ones hold the event.
        await projectLog.CopyAsync([late]);
        Assert.DoesNotContain(await HeadsAsync("RC"), seq => string.CompareOrdinal(seq, CosmosEventDocument.SeqOf(late)) > 0);
        Assert.True(await snapshots.CatchUpAsync("RC") >= 2);
        await AssertEveryBoardAsOfIsTheFoldAsync("RC", log, new CosmosViewStore(_containers), snapshots);
    }

    [Fact]
    public async Task A_board_larger_than_a_document_part_is_snapshotted_in_parts_and_read_back_whole()
    {
        var (log, _) = await WriteAsync("PT", tasks: 12, changes: 30, lateAt: null);
        var projectLog = new CosmosProjectLog(_containers);
        var snapshots = new CosmosSnapshotStore(projectLog, Every, TimeSpan.Zero, new TickingClock(log[^1].RecordedAt), partBytes: 1500);
        await projectLog.CopyAsync(log);
        Assert.True(await snapshots.CatchUpAsync("PT") >= 2);

        var parts = (await ValuesAsync<int>(new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.projectKey = 'PT' AND c.kind = 'snapshot-part'"), "PT")).Sum();
        Assert.True(parts >= 4, $"only {parts} extra parts");
        var latest = await snapshots.LatestAsync("PT", log[^1].RecordedAt);
        Assert.NotNull(latest);
        Assert.Equal(12, latest.TasksJson.Count);
        await AssertEveryBoardAsOfIsTheFoldAsync("PT", log, new CosmosViewStore(_containers), snapshots);
    }

    /// <summary>
    /// A project whose log has no snapshot yet (as after an upgrade, before the rebuild) is caught up by the projection
    /// a bounded stretch per batch, not in one, and every stretch ends at a published snapshot.
    /// </summary>
    [Fact]
    public async Task A_long_history_without_snapshots_is_caught_up_over_several_batches()
    {
        var (log, _) = await WriteAsync("LH", tasks: 3, changes: 60, lateAt: null);
        var projectLog = new CosmosProjectLog(_containers);
        await projectLog.CopyAsync(log);
        var snapshots = new CosmosSnapshotStore(projectLog, every: 5, TimeSpan.Zero, new TickingClock(log[^1].RecordedAt), eventsPerCapture: 20);

        var perBatch = new List<int>();
        foreach (var e in log.TakeLast(4))
        {
            var before = snapshots.Taken;
            await snapshots.CaptureAsync([e]); // a batch redelivered: each makes the project due again until it is caught up
            perBatch.Add((int)(snapshots.Taken - before));
        }
        // 64 events: 20 folded (4 snapshots, one every 5) a batch; the last 4 are fewer than a snapshot waits for.
        Assert.Equal([4, 4, 4, 0], perBatch);
        await AssertEveryBoardAsOfIsTheFoldAsync("LH", log, new CosmosViewStore(_containers), snapshots, every: 5);
    }

    /// <summary>
    /// At every event's time: the board from the snapshots and the project log equals the fold of the event log (read
    /// from the log container itself, not the copy) up to that time, and folds at most max(Every, tasks) events.
    /// </summary>
    private async Task AssertEveryBoardAsOfIsTheFoldAsync(string key, IReadOnlyList<EventEnvelope> log, IViewStore view, ISnapshotStore? snapshots = null,
        bool bounded = true, int every = Every)
    {
        snapshots ??= new CosmosSnapshotStore(new CosmosProjectLog(_containers), every, TimeSpan.Zero, TimeProvider.System);
        var events = new EventsReadCounter(new CosmosEventStore(_containers));
        var queries = new KanbatteQueries(view, events, snapshots);
        var tasks = log.Select(e => e.StreamId).Where(s => s.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal)).Distinct().Count();
        var bound = Math.Max(every, tasks);
        var maxFolded = 0;
        foreach (var at in log.Select(e => e.RecordedAt).Distinct())
        {
            var fold = new BoardFold();
            foreach (var e in log.Where(e => e.RecordedAt <= at)) fold.Apply(e);
            events.ProjectEventsRead = 0;
            var board = await queries.BoardAsOfAsync(key, at, 100);
            Assert.Equal(Render(fold.Columns(100)), Render(board));
            maxFolded = Math.Max(maxFolded, events.ProjectEventsRead);
            Assert.True(!bounded || events.ProjectEventsRead <= bound, $"as of {KanbatteJson.Format(at)}: folded {events.ProjectEventsRead} events after the snapshot (bound {bound})");
        }
        output.WriteLine($"{key}: {log.Count} events, boards folded at most {maxFolded} events after their snapshot (bound {bound})");
    }

    /// <summary>
    /// A project with <paramref name="tasks"/> tasks and <paramref name="changes"/> changes, appended (not projected), each
    /// at its own millisecond; the log in recorded order, and the event at <paramref name="lateAt"/>, a task's change.
    /// </summary>
    private async Task<(List<EventEnvelope> Log, EventEnvelope Late)> WriteAsync(string key, int tasks, int changes, int? lateAt)
    {
        var clock = new TickingClock();
        var events = new CosmosEventStore(_containers);
        var pipeline = new WritePipeline(events, clock);
        var commands = new KanbatteCommands(pipeline, new ProjectAccess(pipeline), new CosmosCounterStore(_containers), new CosmosViewStore(_containers), clock);
        await commands.CreateProjectAsync(new CreateProject(key, "Snapshots", null, null), Meta);
        for (var i = 1; i <= tasks; i++) await commands.CreateTaskAsync(key, new CreateTask($"Task {i} {new string('x', 100)}", null, null), Meta);
        var random = new Random(5);
        for (var i = 0; i < changes; i++)
            await commands.ChangeTaskAsync(TaskId.Format(key, random.Next(1, tasks + 1)), new ChangeTask($"Title {i}", null, Statuses.All[i % 5]), null, Meta);
        var log = await LogAsync(key);
        var late = lateAt is { } at ? log.Skip(at).First(e => e.StreamId.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal) && e.Version > 1) : log[^1];
        return (log, late);
    }

    /// <summary>The project's events as the event log holds them (a cross-partition query, test only), in recorded order.</summary>
    private async Task<List<EventEnvelope>> LogAsync(string key)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.projectKey = @p").WithParameter("@p", key);
        using var iterator = _containers.EventLog.GetItemQueryIterator<CosmosEventDocument>(query);
        var all = new List<CosmosEventDocument>();
        while (iterator.HasMoreResults) all.AddRange(await iterator.ReadNextAsync());
        return all.OrderBy(d => d.Seq, StringComparer.Ordinal).Select(d => d.ToEnvelope()).ToList();
    }

    private async Task<List<string>> CopiesAsync(string key) =>
        await ValuesAsync<string>(new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.projectKey = @p AND c.kind = 'event'").WithParameter("@p", key), key);

    /// <summary>The positions of the project's published snapshots.</summary>
    private async Task<List<string>> HeadsAsync(string key) =>
        (await ValuesAsync<string>(new QueryDefinition("SELECT VALUE c.seq FROM c WHERE c.projectKey = @p AND c.kind = 'snapshot'").WithParameter("@p", key), key))
        .Order(StringComparer.Ordinal).ToList();

    private async Task<List<T>> ValuesAsync<T>(QueryDefinition query, string key)
    {
        using var iterator = _containers.ProjectLog.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(key) });
        var all = new List<T>();
        while (iterator.HasMoreResults) all.AddRange(await iterator.ReadNextAsync());
        return all;
    }

    private static string Id(EventEnvelope e) => CosmosEventDocument.IdOf(e.StreamId, e.Version);

    private static IEnumerable<string> Render(IReadOnlyList<(string Status, int Count, IReadOnlyList<TaskState> Tasks)> board) =>
        board.Select(c => $"{c.Status}:{c.Count}:{string.Join(",", c.Tasks.Select(t => KanbatteJson.Serialize(t)))}");

    /// <summary>One projector instance as the change-feed host runs it: the projector, then the copy, then snapshots.</summary>
    private sealed class Instance : IBatchProjection
    {
        private readonly Projector _projector;

        public Instance(CosmosContainers containers, IEventStore events, IViewStore view, TimeProvider clock)
        {
            _projector = new Projector(view, events);
            Log = new CosmosProjectLog(containers);
            Snapshots = new CosmosSnapshotStore(Log, Every, TimeSpan.Zero, clock);
        }

        public CosmosProjectLog Log { get; }
        public CosmosSnapshotStore Snapshots { get; }

        public async Task<IReadOnlyList<ProjectChanged>> ProjectAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default)
        {
            var changed = await _projector.ProjectAsync(batch, ct);
            await Log.CopyAsync(batch, ct);
            await Snapshots.CaptureAsync(batch, ct);
            return changed;
        }
    }

    /// <summary>A clock that moves one millisecond per reading, from threads at once, so every event has its own time.</summary>
    private sealed class TickingClock(DateTimeOffset? start = null) : TimeProvider
    {
        private long _ticks = (start ?? DateTimeOffset.Parse("2026-01-01T00:00:00Z")).UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
