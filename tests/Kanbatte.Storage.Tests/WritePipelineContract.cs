using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// The write pipeline on every store: a conflict is decided again on the new state, nothing else is retried, a decision
/// on an unread (cached) state is checked against the log before it is given, and comment commands need no history.
/// </summary>
public abstract class WritePipelineContract(IStoreFactory factory) : IAsyncLifetime
{
    private static readonly EventMetadata Meta = new("pipeline-test");
    private StoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await factory.CreateAsync();
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private KanbatteCommands Commands(WritePipeline pipeline) => new(pipeline, _store.Counters, _store.View, TimeProvider.System);

    private async Task<string> NewTaskAsync(string key)
    {
        var commands = Commands(new WritePipeline(_store.Events, TimeProvider.System));
        await commands.CreateProjectAsync(new CreateProject(key, "Pipeline", null, null), Meta);
        return (await commands.CreateTaskAsync(key, new CreateTask("First", null, null), Meta)).Id;
    }

    [Fact]
    public async Task An_event_is_never_stamped_before_its_entitys_last_change()
    {
        // Two writers whose clocks disagree (two instances, or a clock stepped back): reads by time take a stream's events
        // in time order, so the later version must not carry the earlier time, or a move would be folded before the create.
        var ahead = new SetClock(DateTimeOffset.Parse("2026-03-01T12:00:05Z"));
        var behind = new SetClock(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));
        var first = new KanbatteCommands(new WritePipeline(_store.Events, ahead), _store.Counters, _store.View, ahead);
        var second = new KanbatteCommands(new WritePipeline(_store.Events, behind), _store.Counters, _store.View, behind);
        await first.CreateProjectAsync(new CreateProject("TS", "Times", null, null), Meta);
        var task = await first.CreateTaskAsync("TS", new CreateTask("Created ahead", null, null), Meta);

        var moved = await second.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.Done), null, Meta);
        var events = await _store.Events.ReadStreamAsync(StreamIds.Task(task.Id), 1);
        Assert.Equal(ahead.Now.AddMilliseconds(1), events[1].RecordedAt);
        Assert.Equal(events[1].RecordedAt, moved.UpdatedAt);

        // A clock that is ahead of the last change is taken as it is.
        behind.Now = DateTimeOffset.Parse("2026-03-01T12:01:00Z");
        await second.ChangeTaskAsync(task.Id, new ChangeTask("Later", null, null), null, Meta);
        Assert.Equal(behind.Now, (await _store.Events.ReadStreamAsync(StreamIds.Task(task.Id), 3))[0].RecordedAt);
    }

    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task A_conflict_is_decided_again_on_the_state_the_other_writer_left()
    {
        var id = await NewTaskAsync("PC");
        var pipeline = new WritePipeline(_store.Events, TimeProvider.System);
        var other = Commands(new WritePipeline(_store.Events, TimeProvider.System));
        var seen = new List<string>();

        var written = await pipeline.TransactAsync(StreamIds.Task(id), StreamFolds.Task, async stream =>
        {
            seen.Add(stream!.Task.Description);
            // Another writer gets in between this decision's load and its append, once.
            if (seen.Count == 1) await other.ChangeTaskAsync(id, new ChangeTask(null, "Written elsewhere", null), null, Meta);
            return [new TaskUpdated(Title: "Decided here")];
        }, Meta, CancellationToken.None);

        Assert.Equal(["", "Written elsewhere"], seen);
        Assert.Equal(("Decided here", "Written elsewhere", 3), (written.State!.Task.Title, written.State.Task.Description, written.State.Version));
        Assert.Equal(3, Assert.Single(written.Appended).Version);
        Assert.Equal(3, (await _store.Events.ReadStreamAsync(StreamIds.Task(id), 1)).Count);
    }

    [Fact]
    public async Task Any_other_exception_is_neither_retried_nor_written()
    {
        var id = await NewTaskAsync("PX");
        using var cache = new StreamStateCache();
        var pipeline = new WritePipeline(_store.Events, TimeProvider.System, LoadOption.AnyCachedValue, cache, [], []);
        await Commands(pipeline).ChangeTaskAsync(id, new ChangeTask("Cached", null, null), null, Meta); // now the state is cached
        // and stale: were the failure taken for a refusal, the newer event would make the pipeline decide again.
        await Commands(new WritePipeline(_store.Events, TimeProvider.System)).ChangeTaskAsync(id, new ChangeTask("Elsewhere", null, null), null, Meta);
        var calls = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.TransactAsync<TaskStream>(StreamIds.Task(id), StreamFolds.Task, _ =>
        {
            calls++;
            throw new InvalidOperationException("a bug, not a refusal");
        }, Meta, CancellationToken.None));

        Assert.Equal(1, calls);
        Assert.Equal(3, (await _store.Events.ReadStreamAsync(StreamIds.Task(id), 1)).Count);
    }

    [Fact]
    public async Task A_refusal_on_a_cached_state_is_given_only_when_the_log_agrees()
    {
        var id = await NewTaskAsync("PR");
        using var cache = new StreamStateCache();
        var cached = Commands(new WritePipeline(_store.Events, TimeProvider.System, LoadOption.AnyCachedValue, cache, [], []));
        var other = Commands(new WritePipeline(_store.Events, TimeProvider.System));
        var kept = await cached.AddCommentAsync(id, new AddComment("Kept"), Meta);

        // A comment the cached state has never seen: the cache says 404, the log says it exists, so the edit goes through.
        var elsewhere = await other.AddCommentAsync(id, new AddComment("Added elsewhere"), Meta);
        Assert.Equal("Edited here", (await cached.EditCommentAsync(id, elsewhere.Id, "Edited here", Meta)).Body);

        // A comment deleted elsewhere: the cached state still has it, the append conflicts, and the fresh decision is 404.
        await other.DeleteCommentAsync(id, kept.Id, Meta);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => cached.EditCommentAsync(id, kept.Id, "Too late", Meta));
        Assert.Equal(kept.Id, missing.Id);

        // And a refusal the log agrees with is given as it is.
        await Assert.ThrowsAsync<NotFoundException>(() => cached.DeleteCommentAsync(id, "CM-999", Meta));
        var history = await _store.Events.ReadStreamAsync(StreamIds.Task(id), 1);
        Assert.Equal([EventTypes.TaskCreated, EventTypes.CommentAdded, EventTypes.CommentAdded, EventTypes.CommentEdited, EventTypes.CommentDeleted], history.Select(e => e.Type));
    }

    [Fact]
    public async Task Editing_and_deleting_comments_read_no_history_once_the_stream_is_cached()
    {
        var id = await NewTaskAsync("PH");
        var counting = new EventsReadCounter(_store.Events);
        using var cache = new StreamStateCache();
        var commands = Commands(new WritePipeline(counting, TimeProvider.System, LoadOption.RequireLoad, cache, [], []));
        var comments = new List<CommentState>();
        for (var i = 0; i < 30; i++) comments.Add(await commands.AddCommentAsync(id, new AddComment($"Comment {i}"), Meta));

        counting.StreamEventsRead = 0;
        var edited = await commands.EditCommentAsync(id, comments[3].Id, "Edited", Meta);
        await commands.DeleteCommentAsync(id, comments[7].Id, Meta);

        Assert.Equal(0, counting.StreamEventsRead); // each read only the events after the cached version: none
        Assert.Equal(("Edited", comments[3].CreatedAt), (edited.Body, edited.CreatedAt));
        var folded = StreamFolds.Task.Fold(await _store.Events.ReadStreamAsync(StreamIds.Task(id), 1))!;
        Assert.Equal(29, folded.Comments.Count);
        Assert.Equal(edited, folded.Comments[comments[3].Id]);
    }

    [Fact]
    public async Task After_commit_steps_run_in_order_with_what_was_appended()
    {
        var id = await NewTaskAsync("PS");
        var calls = new List<string>();
        var pipeline = new WritePipeline(_store.Events, TimeProvider.System, LoadOption.RequireLoad, null, [],
            [new RecordingStep("first", calls), new RecordingStep("second", calls)]);

        await Commands(pipeline).ChangeTaskAsync(id, new ChangeTask("Renamed", null, null), null, Meta);
        await Commands(pipeline).ChangeTaskAsync(id, new ChangeTask("Renamed", null, null), null, Meta); // no change: no steps

        Assert.Equal([$"first task_updated@2", $"second task_updated@2"], calls);
    }

    private sealed class RecordingStep(string name, List<string> calls) : IAfterCommitStep
    {
        public Task AfterCommitAsync(IReadOnlyList<EventEnvelope> appended, long position, CancellationToken ct)
        {
            calls.AddRange(appended.Select(e => $"{name} {e.Type}@{e.Version}"));
            return Task.CompletedTask;
        }
    }
}
