using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Testing;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// Stream snapshots on every store: the store keeps a stream's latest snapshot of a schema, and a task whose state is not
/// in the cache is loaded from its snapshot and the events after it, as the fold of its whole stream.
/// </summary>
public abstract class StreamSnapshotContract(IStoreFactory factory) : IAsyncLifetime
{
    private const int Every = 5;
    private static readonly EventMetadata Meta = new("snapshot-test");
    private StoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await factory.CreateAsync();
    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_task_loaded_from_its_snapshot_and_the_events_after_it_is_the_fold_of_its_whole_stream()
    {
        var events = new EventsReadCounter(_store.Events);
        var snapshots = new StreamSnapshots(_store.StreamSnapshots, Every);
        KanbatteCommands Commands(WritePipeline pipeline) => new(pipeline, _store.Counters, _store.View, TimeProvider.System);
        // Without a cache: as after a restart, on another instance, or once the state has left the cache.
        WritePipeline Cold(StreamSnapshots? with) => new(events, TimeProvider.System, LoadOption.RequireLoad, null, [], [], with);
        var commands = Commands(new WritePipeline(events, TimeProvider.System, LoadOption.RequireLoad, new StreamStateCache(), [], [], snapshots));

        await commands.CreateProjectAsync(new CreateProject("SN", "Snapshots", null, null), Meta);
        var id = (await commands.CreateTaskAsync("SN", new CreateTask("First", "Described", null, Priorities.High, TestUsers.Owner.Id, ["ui"], new DateOnly(2027, 1, 31)), Meta)).Id;
        var first = await commands.AddCommentAsync(id, new AddComment("First comment"), Meta);
        var second = await commands.AddCommentAsync(id, new AddComment("Second comment"), Meta);
        await commands.EditCommentAsync(id, first.Id, "First, edited", Meta);
        await commands.DeleteCommentAsync(id, second.Id, Meta);
        var followup = await commands.AddFollowupAsync(TestUsers.Owner, id, () => new AddFollowup("Check the build"), Meta);
        await commands.UpdateFollowupAsync(TestUsers.Owner, id, followup.Id, () => new ChangeFollowup(FollowupStatuses.Resolved, null), Meta);
        await commands.ChangeTaskAsync(id, new ChangeTask(null, null, null, Clear: new HashSet<string> { "assignee", "dueDate" }), null, Meta);
        for (var i = 0; i < 14; i++) await commands.ChangeTaskAsync(id, new ChangeTask($"Title {i}", null, null, Labels: [$"l{i}", "ui"]), null, Meta);
        await commands.ChangeTaskAsync(id, new ChangeTask(null, null, Statuses.Review), null, Meta);
        await commands.AddCommentAsync(id, new AddComment("Third comment"), Meta);
        var stream = StreamIds.Task(id);

        Assert.Null(await _store.StreamSnapshots.ReadAsync(stream)); // offered, not yet written
        Assert.Equal(1, await snapshots.FlushAsync());
        var snapshot = await _store.StreamSnapshots.ReadAsync(stream);
        Assert.Equal((20, "task-stream/1"), (snapshot?.Version, snapshot?.Schema));

        var whole = await Cold(null).LoadAsync(stream, StreamFolds.Task, default);
        Assert.Equal(24, whole!.Version);
        events.StreamEventsRead = 0;
        var loaded = await Cold(snapshots).LoadAsync(stream, StreamFolds.Task, default);
        Assert.Equal(4, events.StreamEventsRead); // the events after the snapshot, not the 24 of the stream
        StreamSnapshotTests.AssertSame(whole, loaded!);

        // And a command decides on it as on the whole fold.
        var changed = await Commands(Cold(snapshots)).ChangeTaskAsync(id, new ChangeTask("After the snapshot", null, null), 24, Meta);
        Assert.Equal((25, "After the snapshot", Statuses.Review), (changed.Version, changed.Title, changed.Status));
    }

    [Fact]
    public async Task The_store_keeps_the_latest_snapshot_of_a_schema_and_replaces_one_of_another()
    {
        var store = _store.StreamSnapshots;
        Assert.Null(await store.ReadAsync("task:ST-001"));
        await store.WriteAsync([new StreamSnapshot("task:ST-001", 10, "s/1", "ten"), new StreamSnapshot("task:ST-002", 3, "s/1", "three"), new StreamSnapshot("project:ST", 4, "p/1", "four")]);
        await store.WriteAsync([new StreamSnapshot("task:ST-001", 5, "s/1", "five")]); // an older one, written late
        Assert.Equal(new StreamSnapshot("task:ST-001", 10, "s/1", "ten"), await store.ReadAsync("task:ST-001"));
        await store.WriteAsync([new StreamSnapshot("task:ST-001", 5, "s/2", "five, new shape")]);
        Assert.Equal(new StreamSnapshot("task:ST-001", 5, "s/2", "five, new shape"), await store.ReadAsync("task:ST-001"));
        await store.WriteAsync([new StreamSnapshot("task:ST-002", 6, "s/1", "six")]);
        Assert.Equal("six", (await store.ReadAsync("task:ST-002"))?.State);
        Assert.Equal("four", (await store.ReadAsync("project:ST"))?.State);
    }
}
