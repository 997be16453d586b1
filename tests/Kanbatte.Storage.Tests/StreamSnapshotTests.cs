using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Kanbatte.Testing;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// The pipeline's use of stream snapshots (the stores' side: <see cref="StreamSnapshotContract"/>): a project loaded from
/// its snapshot keeps its members, a snapshot the code cannot use is passed over, never trusted, a long read offers one,
/// and offers wait until written.
/// </summary>
public sealed class StreamSnapshotTests : IDisposable
{
    private const int Every = 5;
    private static readonly EventMetadata Meta = new("snapshot-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-stream-snapshots-");

    private sealed record Rig(SqliteDatabase Db, EventsReadCounter Events, SqliteStreamSnapshotStore Store, StreamSnapshots Snapshots, KanbatteCommands Commands) : IDisposable
    {
        /// <summary>A pipeline with no cache, as after a restart or once the state has left the cache.</summary>
        public WritePipeline Cold(StreamSnapshots? snapshots) => new(Events, TimeProvider.System, LoadOption.AnyCachedValue, null, [], [], snapshots);

        public void Dispose() => Db.Dispose();
    }

    private Rig Create(string name)
    {
        var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, name + ".db") });
        var events = new EventsReadCounter(new SqliteEventStore(db));
        var store = new SqliteStreamSnapshotStore(db);
        var snapshots = new StreamSnapshots(store, Every);
        var pipeline = new WritePipeline(events, TimeProvider.System, LoadOption.AnyCachedValue, new StreamStateCache(), [], [], snapshots);
        return new Rig(db, events, store, snapshots, new KanbatteCommands(pipeline, new SqliteCounterStore(db), new SqliteViewStore(db), TimeProvider.System));
    }

    [Fact]
    public async Task A_project_loaded_from_its_snapshot_keeps_its_members()
    {
        using var rig = Create("project");
        await rig.Commands.CreateProjectAsync(new CreateProject("SM", "Members", "Described", null), Meta);
        for (var i = 0; i < 4; i++) await rig.Commands.SetMemberAsync(TestUsers.Owner, "SM", $"user-{i}", () => (ProjectRoles.Member, $"User {i}"), Meta);
        await rig.Commands.SetMemberAsync(TestUsers.Owner, "SM", "user-1", () => (ProjectRoles.Viewer, null), Meta);
        await rig.Commands.RemoveMemberAsync(TestUsers.Owner, "SM", "user-2", () => { }, Meta);
        await rig.Commands.ChangeProjectAsync("SM", new ChangeProject("Renamed", null, null), null, Meta);
        await rig.Snapshots.FlushAsync();
        var stream = StreamIds.Project("SM");
        Assert.Equal(5, (await rig.Store.ReadAsync(stream))?.Version);

        var whole = await rig.Cold(null).LoadAsync(stream, StreamFolds.Project, default);
        rig.Events.StreamEventsRead = 0;
        var loaded = await rig.Cold(rig.Snapshots).LoadAsync(stream, StreamFolds.Project, default);
        Assert.Equal(whole!.Version - 5, rig.Events.StreamEventsRead);
        Assert.Equal(whole.Project, loaded!.Project);
        Assert.Equal(whole.Members.OrderBy(m => m.Key), loaded.Members.OrderBy(m => m.Key));
        Assert.Same(StringComparer.Ordinal, loaded.Members.KeyComparer);
        Assert.Equal(ProjectRoles.Viewer, loaded.RoleOf("user-1"));
        Assert.Null(loaded.RoleOf("user-2"));
    }

    [Theory]
    [InlineData("task-stream/0", """{"task":{"id":"XX-001"}}""")] // another schema: an older shape, or another fold
    [InlineData("task-stream/1", "not json")]
    [InlineData("task-stream/1", "null")]
    [InlineData("task-stream/1", "{}")]
    [InlineData("task-stream/1", "version")] // the right text at another version: replaced below with the state at 8
    public async Task A_snapshot_this_code_cannot_use_is_passed_over_and_the_whole_stream_read(string schema, string state)
    {
        using var rig = Create("unusable");
        await rig.Commands.CreateProjectAsync(new CreateProject("SU", "Unusable", null, null), Meta);
        var id = (await rig.Commands.CreateTaskAsync("SU", new CreateTask("First", null, null), Meta)).Id;
        for (var i = 0; i < 11; i++) await rig.Commands.ChangeTaskAsync(id, new ChangeTask($"Title {i}", null, null), null, Meta);
        var stream = StreamIds.Task(id);
        var whole = await rig.Cold(null).LoadAsync(stream, StreamFolds.Task, default);
        if (state == "version")
        {
            var at8 = StreamFolds.Task.Fold(await rig.Events.ReadStreamAsync(stream, 1, 8));
            state = StreamFolds.Task.Snapshot!.Encode(at8!);
        }
        await rig.Store.WriteAsync([new StreamSnapshot(stream, 10, schema, state)]);

        rig.Events.StreamEventsRead = 0;
        var loaded = await rig.Cold(new StreamSnapshots(rig.Store, Every)).LoadAsync(stream, StreamFolds.Task, default);
        Assert.Equal(12, rig.Events.StreamEventsRead);
        AssertSame(whole!, loaded!);
    }

    [Fact]
    public async Task A_load_that_read_a_long_stream_offers_its_snapshot()
    {
        using var rig = Create("long");
        var plain = new KanbatteCommands(new WritePipeline(rig.Events, TimeProvider.System), new SqliteCounterStore(rig.Db), new SqliteViewStore(rig.Db), TimeProvider.System);
        await plain.CreateProjectAsync(new CreateProject("SL", "Long", null, null), Meta);
        var id = (await plain.CreateTaskAsync("SL", new CreateTask("First", null, null), Meta)).Id;
        for (var i = 0; i < 7; i++) await plain.ChangeTaskAsync(id, new ChangeTask($"Title {i}", null, null), null, Meta);
        var stream = StreamIds.Task(id);
        Assert.Null(await rig.Store.ReadAsync(stream)); // written without snapshots, as before they existed

        await rig.Cold(rig.Snapshots).LoadAsync(stream, StreamFolds.Task, default);
        await rig.Snapshots.FlushAsync();
        Assert.Equal(8, (await rig.Store.ReadAsync(stream))?.Version);
    }

    [Fact]
    public async Task Offers_wait_the_latest_per_stream_and_a_failed_flush_keeps_them()
    {
        var store = new FailingOnce();
        var snapshots = new StreamSnapshots(store, Every);
        snapshots.Offer(new StreamSnapshot("task:OF-001", 10, "s/1", "ten"));
        snapshots.Offer(new StreamSnapshot("task:OF-001", 5, "s/1", "five"));
        snapshots.Offer(new StreamSnapshot("task:OF-002", 5, "s/1", "five"));
        Assert.Equal("ten", (await snapshots.ReadAsync("task:OF-001"))?.State); // read before it is written

        await Assert.ThrowsAsync<IOException>(() => snapshots.FlushAsync());
        Assert.Equal(2, snapshots.Pending);
        Assert.Equal(2, await snapshots.FlushAsync());
        Assert.Equal(0, snapshots.Pending);
        Assert.Equal(["task:OF-001 10", "task:OF-002 5"], store.Written.Select(s => $"{s.StreamId} {s.Version}").Order());
    }

    [Fact]
    public async Task Offers_waiting_are_bounded_by_the_size_of_their_states()
    {
        var store = new FailingOnce();
        var snapshots = new StreamSnapshots(store, Every);
        snapshots.Offer(new StreamSnapshot("task:OB-001", 20, "s/1", new string('x', (int)StreamSnapshots.MaxPendingChars - 10)));
        snapshots.Offer(new StreamSnapshot("task:OB-002", 20, "s/1", new string('y', 100))); // no room
        Assert.Equal(1, snapshots.Pending);
        snapshots.Offer(new StreamSnapshot("task:OB-001", 40, "s/1", "small now")); // replaces, and frees the room
        snapshots.Offer(new StreamSnapshot("task:OB-002", 20, "s/1", new string('y', 100)));
        Assert.Equal(2, snapshots.Pending);

        await Assert.ThrowsAsync<IOException>(() => snapshots.FlushAsync()); // the first write fails
        await snapshots.FlushAsync();
        Assert.Equal(["task:OB-001 40", "task:OB-002 20"], store.Written.Select(s => $"{s.StreamId} {s.Version}").Order());
        snapshots.Offer(new StreamSnapshot("task:OB-003", 20, "s/1", new string('z', (int)StreamSnapshots.MaxPendingChars - 10)));
        Assert.Equal(1, snapshots.Pending); // the room of what was written is free again
    }

    [Fact]
    public async Task A_host_stops_when_its_last_flush_fails_and_says_so()
    {
        var snapshots = new StreamSnapshots(new FailingOnce(), Every);
        snapshots.Offer(new StreamSnapshot("task:ST-001", 20, "s/1", "twenty"));
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));

        await new StreamSnapshotService(snapshots, factory.CreateLogger<StreamSnapshotService>()).StopAsync(CancellationToken.None);

        Assert.Equal(1, snapshots.Pending);
        Assert.Contains(logs.Lines, l => l.Contains("could not be written as the host stopped", StringComparison.Ordinal));
    }

    private sealed class FailingOnce : IStreamSnapshotStore
    {
        private bool _failed;
        public List<StreamSnapshot> Written { get; } = [];

        public Task<StreamSnapshot?> ReadAsync(string streamId, CancellationToken ct = default) => Task.FromResult<StreamSnapshot?>(null);

        public Task WriteAsync(IReadOnlyCollection<StreamSnapshot> snapshots, CancellationToken ct = default)
        {
            if (!_failed && (_failed = true)) throw new IOException("disk full");
            Written.AddRange(snapshots);
            return Task.CompletedTask;
        }
    }

    internal static void AssertSame(TaskStream expected, TaskStream actual)
    {
        Assert.Equal(expected.Task with { Labels = [] }, actual.Task with { Labels = [] });
        Assert.Equal(expected.Task.Labels, actual.Task.Labels);
        Assert.Equal(expected.Comments.OrderBy(c => c.Key), actual.Comments.OrderBy(c => c.Key));
        Assert.Equal(expected.Followups.OrderBy(f => f.Key), actual.Followups.OrderBy(f => f.Key));
        Assert.Same(StringComparer.Ordinal, actual.Comments.KeyComparer);
        Assert.Same(StringComparer.Ordinal, actual.Followups.KeyComparer);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
