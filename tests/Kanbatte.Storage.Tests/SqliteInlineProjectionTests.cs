using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Storage.Tests;

/// <summary>The server's appends are projected in their own transaction when the view is caught up, and otherwise left to the feed projection.</summary>
public sealed class SqliteInlineProjectionTests : IDisposable
{
    private static readonly EventMetadata Meta = new("inline-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-inline-");

    [Fact]
    public async Task Appends_are_projected_with_their_transaction_and_a_failing_one_falls_back_to_the_feed_projection()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "k.db"));
        var (db, progress, events, view, checkpoints, inTransaction, commands) = (rig.Db, rig.Progress, rig.Events, rig.View, rig.Checkpoints, rig.InTransaction, rig.Commands);

        // Caught up: the task's document and the checkpoint come with the append itself.
        await commands.CreateProjectAsync(new CreateProject("IN", "Inline", null, null), Meta);
        var task = await commands.CreateTaskAsync("IN", new CreateTask("Projected at once", null, null), Meta);
        Assert.Equal(1, (await view.GetAsync(ViewKeys.Task("IN", task.Id).Partition, ViewKeys.Task("IN", task.Id).Id))?.Version);
        Assert.Equal(2, await checkpoints.GetAsync(FeedProjection.Consumer));
        Assert.Equal(2, progress.Projected);

        // An event the projector cannot apply (no projection for its stream): the append stands, the view and checkpoint do not move.
        var poison = await events.AppendAsync("other:1", 0, [new EventEnvelope("other:1", 1, "task_created", 2, JsonDocument.Parse("{}").RootElement, DateTimeOffset.UtcNow, Meta)], inTransaction);
        Assert.Equal(3, poison);
        Assert.Equal(2, await checkpoints.GetAsync(FeedProjection.Consumer));
        Assert.Equal(2, progress.Projected);

        // Behind now: the next append is left to the feed projection too, which parks the poison and catches up.
        await commands.ChangeTaskAsync(task.Id, new ChangeTask("Renamed", null, null), null, Meta);
        Assert.Equal(1, (await view.GetAsync(ViewKeys.Task("IN", task.Id).Partition, ViewKeys.Task("IN", task.Id).Id))?.Version);
        var deadLetters = new SqliteDeadLetterStore(db);
        var feed = new FeedProjection(events, checkpoints, new ResilientProjector(new Projector(view, events), deadLetters, new SqliteTransientErrors(), TimeProvider.System, NullLogger<ResilientProjector>.Instance),
            progress, new ProjectNotifications(), NullLogger<FeedProjection>.Instance);
        await feed.CatchUpAsync(CancellationToken.None);
        Assert.Equal(2, (await view.GetAsync(ViewKeys.Task("IN", task.Id).Partition, ViewKeys.Task("IN", task.Id).Id))?.Version);
        Assert.Single(await deadLetters.ListAsync(10));
        Assert.Equal(4, progress.Projected);

        // Caught up again: inline once more.
        await commands.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.Done), null, Meta);
        Assert.Equal(3, (await view.GetAsync(ViewKeys.Task("IN", task.Id).Partition, ViewKeys.Task("IN", task.Id).Id))?.Version);
        Assert.Equal(5, await checkpoints.GetAsync(FeedProjection.Consumer));
        Assert.Equal(5, progress.Projected);
    }

    /// <summary>
    /// Appends that queue while another write holds the writer commit together, and are projected together: every task in
    /// the view, one changes-journal entry naming all of them, one checkpoint at the last, one notification; an append of
    /// the group that fails (a conflict) takes nothing with it and adds nothing.
    /// </summary>
    [Fact]
    public async Task Appends_committed_together_are_projected_together()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "k.db"));
        var (progress, notifications, view, journal, commands) = (rig.Progress, rig.Notifications, rig.View, rig.Journal, rig.Commands);
        await commands.CreateProjectAsync(new CreateProject("GR", "Group", null, null), Meta);
        var tasks = new List<TaskState>();
        for (var i = 0; i < 4; i++) tasks.Add(await commands.CreateTaskAsync("GR", new CreateTask($"Task {i}", null, null), Meta));
        var head = await journal.HeadAsync("GR");
        var position = progress.Projected;
        while (notifications.Reader.TryRead(out _)) { }

        // Four renames and a conflicting append, committed as one group.
        var queued = await rig.QueueBehindTheWriterAsync(
            [.. tasks.Select(task => (task.Id, 1, $"{task.Title} renamed", true)), (tasks[0].Id, 0, "Lost", true)]);
        var positions = await Task.WhenAll(queued.Take(4));
        await Assert.ThrowsAsync<ConcurrencyException>(() => queued[4]);

        Assert.Equal(Enumerable.Range(1, 4).Select(i => position + i), positions);
        foreach (var task in tasks)
        {
            var (partition, id) = ViewKeys.Task("GR", task.Id);
            var doc = await view.GetAsync(partition, id);
            Assert.Equal(2, doc?.Version);
            Assert.Contains($"{task.Title} renamed", doc!.Json);
        }
        Assert.Equal(position + 4, await rig.Checkpoints.GetAsync(FeedProjection.Consumer));
        Assert.Equal(position + 4, progress.Projected);
        Assert.Equal(head + 1, await journal.HeadAsync("GR"));
        var entry = Assert.Single(await journal.ReadAsync("GR", head, 10));
        Assert.Equal(tasks.Select(t => t.Id).Order(), entry.Changes.Select(c => c.Id).Order());
        Assert.All(entry.Changes, c => Assert.Equal(2, c.Version));
        Assert.True(notifications.Reader.TryRead(out var told));
        Assert.Equal(new ProjectChanged("GR", head + 1), told);
        Assert.False(notifications.Reader.TryRead(out _));
    }

    /// <summary>
    /// A group whose appends with the step have, between them, one without it (a tool's): projecting theirs and moving the
    /// checkpoint past it would leave that one out of the view for good, so the whole group is left to the feed projection.
    /// </summary>
    [Fact]
    public async Task A_group_with_a_gap_in_its_projected_appends_is_left_to_the_feed_projection()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "k.db"));
        var (progress, events, view, checkpoints, commands) = (rig.Progress, rig.Events, rig.View, rig.Checkpoints, rig.Commands);
        await commands.CreateProjectAsync(new CreateProject("GA", "Gap", null, null), Meta);
        var tasks = new List<TaskState>();
        for (var i = 0; i < 3; i++) tasks.Add(await commands.CreateTaskAsync("GA", new CreateTask($"Task {i}", null, null), Meta));
        var position = await checkpoints.GetAsync(FeedProjection.Consumer);

        await Task.WhenAll(await rig.QueueBehindTheWriterAsync([.. tasks.Select((task, i) => (task.Id, 1, "Renamed", i != 1))]));

        Assert.Equal(position, await checkpoints.GetAsync(FeedProjection.Consumer));
        var feed = new FeedProjection(events, checkpoints, new Projector(view, events), progress, new ProjectNotifications(), NullLogger<FeedProjection>.Instance);
        Assert.Equal(3, await feed.CatchUpAsync(CancellationToken.None));
        foreach (var task in tasks)
            Assert.Equal(2, (await view.GetAsync(ViewKeys.Task("GA", task.Id).Partition, ViewKeys.Task("GA", task.Id).Id))?.Version);
    }

    /// <summary>
    /// The feed projection read its checkpoint, then appends were projected in their own transaction before it read the
    /// events after it: those are in the view and the changes journal already, so it neither projects nor tells them again.
    /// </summary>
    [Fact]
    public async Task The_feed_projection_leaves_alone_what_inline_projection_did_meanwhile()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "k.db"));
        var (progress, notifications, events, view, journal, commands) = (rig.Progress, rig.Notifications, rig.Events, rig.View, rig.Journal, rig.Commands);
        await commands.CreateProjectAsync(new CreateProject("FI", "Feed and inline", null, null), Meta);
        var task = await commands.CreateTaskAsync("FI", new CreateTask("Inline", null, null), Meta);
        await commands.ChangeTaskAsync(task.Id, new ChangeTask("Still inline", null, null), null, Meta);
        var head = await journal.HeadAsync("FI");
        Assert.Equal(3, head); // one entry a write, each with its own transaction
        while (notifications.Reader.TryRead(out _)) { }

        // A checkpoint read before those appends: the feed reads them, and finds them projected.
        var feed = new FeedProjection(events, new CheckpointReadEarly(rig.Checkpoints), new Projector(view, events, journal),
            progress, notifications, NullLogger<FeedProjection>.Instance);
        Assert.Equal(3, await feed.CatchUpAsync(CancellationToken.None));

        Assert.Equal(head, await journal.HeadAsync("FI"));
        Assert.False(notifications.Reader.TryRead(out _));
    }

    /// <summary>A file with the server's write path on it: commands whose appends carry inline projection, and the stores it writes.</summary>
    private sealed record Rig(SqliteDatabase Db, ProjectionProgress Progress, ProjectNotifications Notifications, SqliteEventStore Events,
        SqliteViewStore View, SqliteCheckpointStore Checkpoints, SqliteChangeJournal Journal, IInTransactionStep[] InTransaction, KanbatteCommands Commands)
        : IDisposable
    {
        public static Rig Open(string path)
        {
            var db = new SqliteDatabase(new SqliteOptions { Path = path });
            var (progress, notifications, events, view) = (new ProjectionProgress(), new ProjectNotifications(), new SqliteEventStore(db), new SqliteViewStore(db));
            IInTransactionStep[] inTransaction = [new InlineProjection(progress, notifications, new StreamStateCache(), TimeProvider.System, NullLogger<InlineProjection>.Instance)];
            var pipeline = new WritePipeline(events, TimeProvider.System, LoadOption.RequireLoad, null, inTransaction, []);
            return new Rig(db, progress, notifications, events, view, new SqliteCheckpointStore(db), new SqliteChangeJournal(db), inTransaction,
                new KanbatteCommands(pipeline, new SqliteCounterStore(db), view, TimeProvider.System));
        }

        /// <summary>
        /// Renames appended while one write holds the writer (an append reaches the queue before its first await), so the
        /// next turn takes them all as one group; each at the version given, with inline projection or without.
        /// </summary>
        public async Task<List<Task<long>>> QueueBehindTheWriterAsync(IReadOnlyList<(string TaskId, int Version, string Title, bool Projected)> renames)
        {
            var queued = new List<Task<long>>();
            await Db.WriteAsync(_ =>
            {
                foreach (var (taskId, version, title, projected) in renames)
                    queued.Add(Events.AppendAsync(StreamIds.Task(taskId), version,
                        [EventCodec.Encode(StreamIds.Task(taskId), version + 1, new TaskUpdated(Title: title), DateTimeOffset.UtcNow, Meta)],
                        projected ? InTransaction : []));
                return Task.FromResult(true);
            }, CancellationToken.None);
            return queued;
        }

        public void Dispose() => Db.Dispose();
    }

    /// <summary>TEST ONLY: a checkpoint read before every append was made, as a feed projection that started just before them.</summary>
    private sealed class CheckpointReadEarly(ICheckpointStore inner) : ICheckpointStore
    {
        public Task<long> GetAsync(string consumer, CancellationToken ct = default) => Task.FromResult(0L);
        public Task SaveAsync(string consumer, long position, CancellationToken ct = default) => inner.SaveAsync(consumer, position, ct);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
