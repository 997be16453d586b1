using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// The projector over a real store: however events are delivered (in batches, twice, replayed, with gaps, after a crash),
/// the view equals the one a rebuild from the log gives.
/// </summary>
public abstract class ProjectorContract(IStoreFactory factory) : IAsyncLifetime
{
    private static readonly EventMetadata Meta = new("projector-test");
    protected StoreUnderTest Store { get; private set; } = null!;
    private KanbatteCommands Commands => new(new WritePipeline(Store.Events, TimeProvider.System), Store.Counters, Store.View, TimeProvider.System);

    public async Task InitializeAsync() => Store = await factory.CreateAsync();
    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>A non-trivial history: two projects, tasks in every status, renames, several updates and comments per task.</summary>
    private async Task<List<string>> WriteHistoryAsync(Func<string, Task>? afterEachCommand = null)
    {
        var streams = new List<string>();
        var commands = Commands;
        async Task Step(string stream) { if (!streams.Contains(stream)) streams.Add(stream); if (afterEachCommand is not null) await afterEachCommand(stream); }

        foreach (var key in new[] { "AI", "WEB" })
        {
            await commands.CreateProjectAsync(new CreateProject(key, $"Project {key}", "desc", null), Meta);
            await Step(StreamIds.Project(key));
        }
        for (var i = 0; i < 12; i++)
        {
            var key = i % 3 == 0 ? "WEB" : "AI";
            var task = await commands.CreateTaskAsync(key, new CreateTask($"Task {i}", i % 2 == 0 ? "" : $"Description {i}", Statuses.All[i % 5]), Meta);
            await Step(StreamIds.Task(task.Id));
            for (var u = 0; u < i % 4; u++)
            {
                await commands.ChangeTaskAsync(task.Id, new ChangeTask(u == 1 ? $"Renamed {i}" : null, null, Statuses.All[(i + u + 1) % 5], Labels: [$"l{u}"]), null, Meta);
                await Step(StreamIds.Task(task.Id));
            }
            for (var c = 0; c < i % 3; c++)
            {
                var comment = await commands.AddCommentAsync(task.Id, new AddComment($"Comment {c} on {task.Id}"), Meta);
                await Step(StreamIds.Task(task.Id));
                if (c == 1)
                {
                    await commands.EditCommentAsync(task.Id, comment.Id, "Edited", Meta);
                    await Step(StreamIds.Task(task.Id));
                }
            }
            if (i % 5 == 4)
            {
                await commands.ArchiveTaskAsync(task.Id, true, null, Meta);
                await Step(StreamIds.Task(task.Id));
            }
        }
        return streams;
    }

    private async Task<List<EventEnvelope>> LogAsync(IEnumerable<string> streams)
    {
        var all = new List<EventEnvelope>();
        foreach (var stream in streams) all.AddRange(await Store.Events.ReadStreamAsync(stream, 1));
        return all;
    }

    private async Task<IReadOnlyList<ViewDocument>> RebuiltAsync(IReadOnlyList<EventEnvelope> log)
    {
        var view = Store.NewView();
        await new Projector(view, Store.Events).ProjectAsync(log);
        return await ViewSnapshot.TakeAsync(view);
    }

    /// <summary>The view holds the whole history (so comparing it with a rebuild is not comparing two empty views).</summary>
    private static void AssertWholeHistory(IReadOnlyList<ViewDocument> view) =>
        Assert.Equal((2, 12, 12), (view.Count(d => d.Kind == ViewKeys.ProjectKind), view.Count(d => d.Kind == ViewKeys.TaskKind), view.Count(d => d.Kind == ViewKeys.CommentKind)));

    [Fact]
    public async Task Incremental_projection_equals_a_rebuild_from_the_log()
    {
        var projector = new Projector(Store.View, Store.Events);
        var projected = new Dictionary<string, int>();
        var streams = await WriteHistoryAsync(async stream =>
        {
            var fresh = await Store.Events.ReadStreamAsync(stream, projected.GetValueOrDefault(stream) + 1);
            projected[stream] = fresh[^1].Version;
            await projector.ProjectAsync(fresh);
        });
        var log = await LogAsync(streams);

        var incremental = await ViewSnapshot.TakeAsync(Store.View);

        Assert.True(log.Count > 40, $"history too small: {log.Count} events");
        Assert.Equal((2, 12, 12), (incremental.Count(d => d.Kind == ViewKeys.ProjectKind), incremental.Count(d => d.Kind == ViewKeys.TaskKind), incremental.Count(d => d.Kind == ViewKeys.CommentKind)));
        Assert.Equal(await RebuiltAsync(log), incremental);
    }

    [Fact]
    public async Task Duplicated_and_redelivered_events_change_nothing()
    {
        var log = await LogAsync(await WriteHistoryAsync());
        var projector = new Projector(Store.View, Store.Events);

        // Every event twice within its batch, every batch delivered twice, then the whole log replayed.
        foreach (var batch in log.Chunk(7))
        {
            var doubled = batch.Concat(batch).ToList();
            await projector.ProjectAsync(doubled);
            await projector.ProjectAsync(doubled);
        }
        var once = await ViewSnapshot.TakeAsync(Store.View);
        await projector.ProjectAsync(log);

        Assert.Equal(await RebuiltAsync(log), once);
        Assert.Equal(once, await ViewSnapshot.TakeAsync(Store.View));
        AssertWholeHistory(once);
    }

    [Fact]
    public async Task Batches_in_any_order_of_streams_and_with_gaps_converge()
    {
        var log = await LogAsync(await WriteHistoryAsync());
        var projector = new Projector(Store.View, Store.Events);

        // Deliver streams newest-first, each missing every second event: the projector reads the gaps from the log.
        foreach (var stream in log.GroupBy(e => e.StreamId).Reverse())
            await projector.ProjectAsync(stream.Where(e => e.Version % 2 == 0 || e.Version == stream.Max(x => x.Version)).ToList());

        Assert.Equal(await RebuiltAsync(log), await ViewSnapshot.TakeAsync(Store.View));
        AssertWholeHistory(await ViewSnapshot.TakeAsync(Store.View));
    }

    [Fact]
    public async Task A_crash_between_the_view_write_and_the_checkpoint_is_repaired_by_redelivery()
    {
        var log = await LogAsync(await WriteHistoryAsync());
        var projector = new Projector(Store.View, Store.Events);
        var half = log.Count / 2;

        // The first half was written to the view, but the crash lost the checkpoint: all of it comes again, with the rest.
        await projector.ProjectAsync(log.Take(half).ToList());
        foreach (var batch in log.Skip(half / 2).Chunk(5)) await projector.ProjectAsync(batch);

        Assert.Equal(await RebuiltAsync(log), await ViewSnapshot.TakeAsync(Store.View));
        AssertWholeHistory(await ViewSnapshot.TakeAsync(Store.View));
    }

    /// <summary>
    /// The feed projection resumes from its durable checkpoint. Declared as a test by the bindings whose store has a feed
    /// and checkpoints of its own (SQLite); the Cosmos DB store's change feed and leases are the Functions host's.
    /// </summary>
    protected async Task FeedProjectionResumesFromItsDurableCheckpointAsync()
    {
        Assert.NotNull(Store.Feed);
        Assert.NotNull(Store.Checkpoints);

        var log = await LogAsync(await WriteHistoryAsync());
        var first = NewFeedProjection();
        Assert.Equal(log.Count, await first.CatchUpAsync(CancellationToken.None));

        await Commands.ChangeTaskAsync("AI-001", new ChangeTask(null, null, Statuses.Done), null, Meta);

        // A new instance (a restarted server) reads only what came after the checkpoint.
        Assert.Equal(1, await NewFeedProjection().CatchUpAsync(CancellationToken.None));
        Assert.Equal(0, await NewFeedProjection().CatchUpAsync(CancellationToken.None));
        var task = await Store.View.GetAsync("AI", "task:AI-001");
        Assert.Contains("\"status\":\"done\"", task!.Json);

        FeedProjection NewFeedProjection() => new(Store.Feed, Store.Checkpoints, new Projector(Store.View, Store.Events), new ProjectionProgress(), new ProjectNotifications(), NullLogger<FeedProjection>.Instance);
    }
}
