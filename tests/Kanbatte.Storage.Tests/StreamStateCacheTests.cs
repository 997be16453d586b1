using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Storage.Tests;

/// <summary>Commands fold on from a cached state, read only the newer events, and still lose no other writer's change.</summary>
public sealed class StreamStateCacheTests : IDisposable
{
    private static readonly EventMetadata Meta = new("cache-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-cache-");

    [Fact]
    public async Task A_cached_task_is_folded_on_from_the_events_after_it_and_a_stale_cache_loses_nothing()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var events = new EventsReadCounter(new SqliteEventStore(db));
        var view = new SqliteViewStore(db);
        using var cache = new StreamStateCache();
        var cached = new KanbatteCommands(new WritePipeline(events, TimeProvider.System, cache), new SqliteCounterStore(db), view, TimeProvider.System);
        var other = new KanbatteCommands(new WritePipeline(events, TimeProvider.System), new SqliteCounterStore(db), view, TimeProvider.System);

        await cached.CreateProjectAsync(new CreateProject("CA", "Cache", null, null), Meta);
        var task = await cached.CreateTaskAsync("CA", new CreateTask("First", null, null), Meta);
        for (var i = 0; i < 10; i++) await cached.ChangeTaskAsync(task.Id, new ChangeTask($"Title {i}", null, null), null, Meta);

        // Warm: each change read no event at all (the cache held the latest state).
        events.StreamEventsRead = 0;
        await cached.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.Review), null, Meta);
        Assert.Equal(0, events.StreamEventsRead);

        // Another writer (another instance: its own cache, or none) moves the stream on; the cached one is now stale.
        await other.ChangeTaskAsync(task.Id, new ChangeTask(null, "Written elsewhere", null), null, Meta);
        await other.AddCommentAsync(task.Id, new AddComment("Elsewhere too"), Meta);
        events.StreamEventsRead = 0;
        var changed = await cached.ChangeTaskAsync(task.Id, new ChangeTask("Last", null, null), null, Meta);
        Assert.Equal(2, events.StreamEventsRead); // only the two events written elsewhere
        Assert.Equal("Written elsewhere", changed.Description);
        Assert.Equal(Statuses.Review, changed.Status);

        // And the state equals a fold of the whole stream.
        var folded = EventCodec.FoldTask(await events.ReadStreamAsync(StreamIds.Task(task.Id), 1));
        Assert.Equal(KanbatteJson.Serialize(folded), KanbatteJson.Serialize(changed));
        Assert.Equal(15, changed.Version);
    }

    [Fact]
    public async Task A_trusted_cache_skips_the_read_and_a_stale_one_is_corrected_by_the_conflict()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "trusted.db") });
        var events = new EventsReadCounter(new SqliteEventStore(db));
        var view = new SqliteViewStore(db);
        using var cache = new StreamStateCache();
        var cached = new KanbatteCommands(new WritePipeline(events, TimeProvider.System, LoadOption.AnyCachedValue, cache, [], []), new SqliteCounterStore(db), view, TimeProvider.System);
        var other = new KanbatteCommands(new WritePipeline(events, TimeProvider.System), new SqliteCounterStore(db), view, TimeProvider.System);

        await cached.CreateProjectAsync(new CreateProject("TR", "Trusted", null, null), Meta);
        await cached.CreateTaskAsync("TR", new CreateTask("Warm the project", null, null), Meta);
        events.StreamReads = 0;
        var task = await cached.CreateTaskAsync("TR", new CreateTask("First", null, null), Meta);
        await cached.ChangeTaskAsync(task.Id, new ChangeTask("Second", null, null), null, Meta);
        Assert.Equal(0, events.StreamReads); // neither the project nor the task stream was read

        // Another writer moves the stream on: the cached decision conflicts, is made again on a fresh read, and keeps both changes.
        await other.ChangeTaskAsync(task.Id, new ChangeTask(null, "Written elsewhere", null), null, Meta);
        var changed = await cached.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.Review), null, Meta);
        Assert.Equal(("Second", "Written elsewhere", Statuses.Review, 4), (changed.Title, changed.Description, changed.Status, changed.Version));

        // If-Match and "nothing to change" are judged on what the log says, not on a stale cache.
        await other.ChangeTaskAsync(task.Id, new ChangeTask("Fifth", null, null), null, Meta);
        Assert.Equal(5, (await cached.ChangeTaskAsync(task.Id, new ChangeTask("Fifth", null, null), null, Meta)).Version);
        var matched = await cached.ChangeTaskAsync(task.Id, new ChangeTask("Sixth", null, null), ifMatch: 5, Meta);
        Assert.Equal(6, matched.Version);
        await other.ChangeTaskAsync(task.Id, new ChangeTask("Seventh", null, null), null, Meta);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => cached.ChangeTaskAsync(task.Id, new ChangeTask("Eighth", null, null), ifMatch: 6, Meta));

        var folded = EventCodec.FoldTask(await events.ReadStreamAsync(StreamIds.Task(task.Id), 1));
        Assert.Equal(KanbatteJson.Serialize(folded), KanbatteJson.Serialize(await cached.ChangeTaskAsync(task.Id, new ChangeTask("Seventh", null, null), null, Meta)));
    }

    [Fact]
    public async Task The_cache_is_bounded_by_memory_so_long_discussions_push_states_out()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "bounded.db") });
        var events = new EventsReadCounter(new SqliteEventStore(db));
        var view = new SqliteViewStore(db);
        const long bound = 2 * 1024 * 1024;
        using var cache = new StreamStateCache(bound);
        var commands = new KanbatteCommands(new WritePipeline(events, TimeProvider.System, LoadOption.AnyCachedValue, cache, [], []), new SqliteCounterStore(db), view, TimeProvider.System);
        await commands.CreateProjectAsync(new CreateProject("BD", "Bounded", null, null), Meta);

        // A state's estimate grows with what it holds: a task with 20 comments of 5,000 characters weighs over 200 KB.
        var talked = await commands.CreateTaskAsync("BD", new CreateTask("Talked about", null, null), Meta);
        var bare = StateSizes.Of((await new WritePipeline(events, TimeProvider.System).LoadAsync(StreamIds.Task(talked.Id), StreamFolds.Task, default))!);
        for (var i = 0; i < 20; i++) await commands.AddCommentAsync(talked.Id, new AddComment(new string('x', 5000)), Meta);
        var heavy = StateSizes.Of(cache.Get<TaskStream>(StreamIds.Task(talked.Id))!);
        Assert.InRange(heavy - bare, 20 * 2 * 5000, 20 * 2 * 5000 + 20 * 1000);

        // Forty such tasks would be 8 MB: the cache keeps its bound of 2 MB (it compacts when a set finds it full).
        for (var t = 0; t < 40; t++)
        {
            var task = await commands.CreateTaskAsync("BD", new CreateTask($"Task {t}", null, null), Meta);
            for (var i = 0; i < 20; i++) await commands.AddCommentAsync(task.Id, new AddComment(new string('y', 5000)), Meta);
        }
        await Task.Delay(200); // compaction runs on the thread pool
        var (count, bytes) = cache.Usage;
        Assert.True(bytes <= bound, $"{count} states, {bytes} bytes");
        Assert.InRange(count, 2, 12);

        // A state pushed out is read again, whole.
        Assert.Null(cache.Get<TaskStream>(StreamIds.Task(talked.Id)));
        events.StreamEventsRead = 0;
        await commands.AddCommentAsync(talked.Id, new AddComment("After"), Meta);
        Assert.Equal(21, events.StreamEventsRead);
    }

    [Fact]
    public async Task A_load_that_read_before_a_write_committed_does_not_put_back_the_state_before_it()
    {
        // A member added while someone else's load of the project is between its read and its Set: the cache must keep
        // the membership, or the new member is refused the project (404) until its next write; or a removed member is not.
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "race.db") });
        var events = new HeldRead(new SqliteEventStore(db));
        using var cache = new StreamStateCache();
        var pipeline = new WritePipeline(events, TimeProvider.System, LoadOption.AnyCachedValue, cache, [], []);
        var commands = new KanbatteCommands(pipeline, new SqliteCounterStore(db), new SqliteViewStore(db), TimeProvider.System);
        var access = new ProjectAccess(pipeline);
        var bo = new Caller("bo", "Bo", Admin: false);
        await commands.CreateProjectAsync(new CreateProject("RC", "Race", null, null), Meta);

        var read = events.HoldNextRead(StreamIds.Project("RC"));
        var stale = pipeline.LoadCurrentAsync(StreamIds.Project("RC"), StreamFolds.Project, default); // e.g. whom to tell of a change
        await read;
        await commands.SetMemberAsync(TestUsers.Owner, "RC", bo.Id, () => (ProjectRoles.Member, "Bo"), Meta);
        events.Release();
        Assert.Null((await stale)!.RoleOf(bo.Id)); // the load's own answer is the log as it read it ...
        Assert.NotNull(await access.MemberOfAsync(bo, "RC", default)); // ... but the cache keeps the newer state

        // The same with the newer state dropped from the cache before the stale load's Set: it is not put back either.
        read = events.HoldNextRead(StreamIds.Project("RC"));
        stale = pipeline.LoadCurrentAsync(StreamIds.Project("RC"), StreamFolds.Project, default);
        await read;
        await commands.RemoveMemberAsync(TestUsers.Owner, "RC", bo.Id, () => { }, Meta);
        cache.Drop(StreamIds.Project("RC"));
        events.Release();
        Assert.NotNull((await stale)!.RoleOf(bo.Id));
        Assert.Null(cache.Get<ProjectStream>(StreamIds.Project("RC")));
        Assert.Null(await access.MemberOfAsync(bo, "RC", default)); // read from the log: Bo is out
    }

    [Fact]
    public async Task The_cache_never_goes_back_to_an_older_state()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "older.db") });
        var events = new SqliteEventStore(db);
        var commands = new KanbatteCommands(new WritePipeline(events, TimeProvider.System), new SqliteCounterStore(db), new SqliteViewStore(db), TimeProvider.System);
        await commands.CreateProjectAsync(new CreateProject("OL", "Older", null, null), Meta);
        var id = (await commands.CreateTaskAsync("OL", new CreateTask("First", null, null), Meta)).Id;
        await commands.ChangeTaskAsync(id, new ChangeTask("Second", null, null), null, Meta);
        await commands.ChangeTaskAsync(id, new ChangeTask("Third", null, null), null, Meta);
        var stream = StreamIds.Task(id);
        var all = await events.ReadStreamAsync(stream, 1);
        var (first, second, third) = (StreamFolds.Task.Fold(all.Take(1)), StreamFolds.Task.Fold(all.Take(2)), StreamFolds.Task.Fold(all));
        using var cache = new StreamStateCache();

        var ticket = cache.Ticket(stream);
        cache.Set(stream, second, StreamFolds.Task, cache.Ticket(stream));
        cache.Set(stream, first, StreamFolds.Task, ticket);
        Assert.Equal(2, cache.Get<TaskStream>(stream)!.Version);

        // Once dropped, a state read before it was kept is refused; one read after is kept.
        cache.Drop(stream);
        cache.Set(stream, first, StreamFolds.Task, ticket);
        Assert.Null(cache.Get<TaskStream>(stream));
        cache.Set(stream, first, StreamFolds.Task, cache.Ticket(stream));
        Assert.Equal(1, cache.Get<TaskStream>(stream)!.Version);

        // A newer state that was itself refused (none cached, and another offered since its writer's ticket) still turns
        // away an older one read before it.
        cache.Drop(stream);
        var writer = cache.Ticket(stream); // before appending the third event
        cache.Set(stream, first, StreamFolds.Task, cache.Ticket(stream)); // meanwhile: kept, and dropped again
        cache.Drop(stream);
        var reader = cache.Ticket(stream); // a load that reads the second, before the third commits
        cache.Set(stream, third, StreamFolds.Task, writer);
        Assert.Null(cache.Get<TaskStream>(stream));
        cache.Set(stream, second, StreamFolds.Task, reader);
        Assert.Null(cache.Get<TaskStream>(stream));
    }

    /// <summary>Holds the next read of one stream after it has read, until released: a load caught between its read and its Set.</summary>
    private sealed class HeldRead(IEventStore inner) : IEventStore
    {
        private string? _stream;
        private TaskCompletionSource _read = new(), _release = new();

        public Task HoldNextRead(string streamId)
        {
            (_stream, _read, _release) = (streamId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource());
            return _read.Task;
        }

        public void Release() => _release.SetResult();

        public async Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default)
        {
            var read = await inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);
            if (streamId == _stream)
            {
                _stream = null;
                _read.SetResult();
                await _release.Task;
            }
            return read;
        }

        public Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default) =>
            inner.AppendAsync(streamId, expectedVersion, events, ct);

        public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
            inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
