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
        var cached = new KanbatteCommands(events, new SqliteCounterStore(db), view, new EventualConsistency(), TimeProvider.System, cache);
        var other = new KanbatteCommands(events, new SqliteCounterStore(db), view, new EventualConsistency(), TimeProvider.System);

        await cached.CreateProjectAsync(new CreateProject("CA", "Cache", null, null), Meta);
        var task = await cached.CreateTaskAsync("CA", new CreateTask("First", null, null), Meta);
        for (var i = 0; i < 10; i++) await cached.ChangeTaskAsync(task.Id, new ChangeTask($"Title {i}", null, null), null, Meta);

        // Warm: each change read no event at all (the cache held the latest state).
        events.Read = 0;
        await cached.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.Review), null, Meta);
        Assert.Equal(0, events.Read);

        // Another writer (another instance: its own cache, or none) moves the stream on; the cached one is now stale.
        await other.ChangeTaskAsync(task.Id, new ChangeTask(null, "Written elsewhere", null), null, Meta);
        await other.AddCommentAsync(task.Id, new AddComment("Elsewhere too", null), Meta);
        events.Read = 0;
        var changed = await cached.ChangeTaskAsync(task.Id, new ChangeTask("Last", null, null), null, Meta);
        Assert.Equal(2, events.Read); // only the two events written elsewhere
        Assert.Equal("Written elsewhere", changed.Description);
        Assert.Equal(Statuses.Review, changed.Status);

        // And the state equals a fold of the whole stream.
        var folded = EventCodec.FoldTask(await events.ReadStreamAsync(StreamIds.Task(task.Id), 1));
        Assert.Equal(KanbatteJson.Serialize(folded), KanbatteJson.Serialize(changed));
        Assert.Equal(15, changed.Version);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }

    private sealed class EventsReadCounter(IEventStore inner) : IEventStore
    {
        public int Read { get; set; }

        public Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default) =>
            inner.AppendAsync(streamId, expectedVersion, events, ct);

        public async Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default)
        {
            var read = await inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);
            Read += read.Count;
            return read;
        }

        public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
            inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
    }
}
