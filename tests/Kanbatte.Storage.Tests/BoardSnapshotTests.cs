using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Storage.Tests;

/// <summary>Boards as of a time: snapshots give the same answer as folding the whole history, and bound the events folded.</summary>
public sealed class BoardSnapshotTests : IDisposable
{
    private static readonly EventMetadata Meta = new("snapshot-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-snap-");

    [Fact]
    public async Task Boards_as_of_any_time_match_with_and_without_snapshots_and_fold_a_bounded_tail()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var events = new EventsReadCounter(new SqliteEventStore(db));
        var view = new SqliteViewStore(db);
        var clock = new SteppingClock();
        var commands = new KanbatteCommands(new WritePipeline(events, clock), new SqliteCounterStore(db), view, clock);
        var snapshots = new SqliteSnapshotStore(db, every: 25);
        var projection = new FeedProjection(new SqliteEventStore(db), new SqliteCheckpointStore(db), new Projector(view, events),
            new ProjectionProgress(), new ProjectNotifications(), NullLogger<FeedProjection>.Instance);

        await commands.CreateProjectAsync(new CreateProject("SN", "Snapshots", null, null), Meta);
        var times = new List<DateTimeOffset>();
        var random = new Random(7);
        var created = 0;
        for (var i = 0; i < 300; i++)
        {
            // At most 25 tasks, so snapshots stay 25 events apart (a project of N tasks is snapshotted every N events).
            if (created < 25 && (i < 10 || random.Next(6) == 0))
                await commands.CreateTaskAsync("SN", new CreateTask($"Task {++created}", null, Statuses.All[random.Next(5)], Priorities.All[random.Next(5)]), Meta);
            else
                await commands.ChangeTaskAsync(TaskId.Format("SN", random.Next(1, 10)), new ChangeTask($"Title {i}", null, Statuses.All[random.Next(5)]), null, Meta);
            if (i % 7 == 0)
            {
                await projection.CatchUpAsync(CancellationToken.None);
                await snapshots.CaptureAsync();
            }
            if (i % 37 == 0) times.Add(clock.GetUtcNow());
        }
        await projection.CatchUpAsync(CancellationToken.None);
        times.Add(clock.GetUtcNow());

        await using (var connection = OpenSnapshots(snapshots))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*), SUM(full) FROM board_snapshots WHERE project_key = 'SN'";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) >= 8, "expected a snapshot every 25 events");
            // Boards are composed from a full snapshot and the deltas after it: both kinds must be exercised.
            Assert.InRange(reader.GetInt64(1), 2, reader.GetInt64(0) - 2);
        }

        var withSnapshots = new KanbatteQueries(view, events, snapshots);
        var fromLog = new KanbatteQueries(view, events);
        foreach (var at in times)
        {
            events.ProjectEventsRead = 0;
            var fast = await withSnapshots.BoardAsOfAsync("SN", at, 100);
            var folded = events.ProjectEventsRead;
            var slow = await fromLog.BoardAsOfAsync("SN", at, 100);

            Assert.Equal(Render(slow), Render(fast));
            // Snapshots come every 25 events, taken after batches of at most 7 (catch-up every 7 commands).
            Assert.True(folded <= 25 + 7, $"folded {folded} events after the snapshot");
        }
        // The last board as of now is the live board.
        var live = await fromLog.BoardAsync("SN", 100);
        Assert.Equal(live.Select(c => string.Join(",", c.Tasks.Select(t => t.Json))),
            (await withSnapshots.BoardAsOfAsync("SN", times[^1], 100)).Select(c => string.Join(",", c.Tasks.Select(t => KanbatteJson.Serialize(t)))));
    }

    [Fact]
    public async Task A_growing_projects_snapshots_copy_at_most_one_task_per_event()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "large.db"), every: 10);
        var (commands, projection, snapshots) = (rig.Commands, rig.Projection, rig.Snapshots);
        await commands.CreateProjectAsync(new CreateProject("LG", "Large", null, null), Meta);
        for (var i = 1; i <= 300; i++)
        {
            if (i <= 80) await commands.CreateTaskAsync("LG", new CreateTask($"Task {i}", null, null), Meta);
            else await commands.ChangeTaskAsync(TaskId.Format("LG", i % 80 + 1), new ChangeTask($"Title {i}", null, null), null, Meta);
            if (i % 5 == 0)
            {
                await projection.CatchUpAsync(CancellationToken.None);
                await snapshots.CaptureAsync();
            }
        }

        await using var connection = OpenSnapshots(snapshots);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM board_snapshots WHERE project_key = 'LG'),
                   (SELECT COUNT(*) FROM board_snapshot_rows WHERE project_key = 'LG')
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (taken, copied) = (reader.GetInt64(0), reader.GetInt64(1));
        // A snapshot every 10 events; copying every task each time would have been ~2,000 task documents.
        Assert.InRange(taken, 25, 31);
        Assert.True(copied <= 2 * 301, $"{taken} snapshots copied {copied} task documents for 301 events");
    }

    /// <summary>
    /// A snapshot's time is the latest recorded time of every event it covers, even of one before the previous snapshot
    /// whose clock ran ahead: a board as of a moment before that time must not come from it, or it would show a change
    /// recorded after that moment.
    /// </summary>
    [Fact]
    public async Task A_snapshot_keeps_the_time_of_an_earlier_event_whose_clock_ran_ahead()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "ahead.db"), every: 5);
        var (commands, projection, snapshots, clock) = (rig.Commands, rig.Projection, rig.Snapshots, rig.Clock);
        await commands.CreateProjectAsync(new CreateProject("AH", "Ahead", null, null), Meta);
        var task = await commands.CreateTaskAsync("AH", new CreateTask("Task", null, Statuses.Todo), Meta);
        var start = clock.GetUtcNow();

        // One writer's clock an hour ahead, the others' right.
        clock.Set(start.AddHours(1));
        await commands.ChangeTaskAsync(task.Id, new ChangeTask("Renamed an hour ahead", null, Statuses.Done), null, Meta);
        clock.Set(start);
        for (var i = 0; i < 5; i++) await commands.CreateTaskAsync("AH", new CreateTask($"Other {i}", null, null), Meta);
        await projection.CatchUpAsync(CancellationToken.None);
        await snapshots.CaptureAsync();
        for (var i = 0; i < 5; i++) await commands.CreateTaskAsync("AH", new CreateTask($"Later {i}", null, null), Meta);
        await projection.CatchUpAsync(CancellationToken.None);
        await snapshots.CaptureAsync();

        await using (var connection = OpenSnapshots(snapshots))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*), MIN(at) FROM board_snapshots WHERE project_key = 'AH'";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(2, reader.GetInt64(0));
            Assert.True(DateTimeOffset.Parse(reader.GetString(1)) > start.AddHours(1), $"a snapshot's time {reader.GetString(1)} is before the rename it covers");
        }
        // Half an hour in, the rename has not happened yet: the board says so, with snapshots as from the log.
        var view = new SqliteViewStore(rig.Db);
        var at = start.AddMinutes(30);
        var fromLog = await new KanbatteQueries(view, rig.Events).BoardAsOfAsync("AH", at, 100);
        Assert.Equal(Render(fromLog), Render(await new KanbatteQueries(view, rig.Events, snapshots).BoardAsOfAsync("AH", at, 100)));
        Assert.Contains(fromLog.Single(c => c.Status == Statuses.Todo).Tasks, t => t.Title == "Task");
    }

    [Fact]
    public async Task A_file_that_kept_its_snapshots_in_its_own_tables_drops_them_and_takes_them_again_in_the_snapshots_file()
    {
        var path = Path.Combine(_folder.FullName, "old.db");
        DateTimeOffset at;
        List<string> before;
        using (var rig = Rig.Open(path, every: 3))
        {
            await rig.Commands.CreateProjectAsync(new CreateProject("OL", "Old layout", null, null), Meta);
            for (var i = 0; i < 6; i++) await rig.Commands.CreateTaskAsync("OL", new CreateTask($"T{i}", null, null), Meta);
            await rig.Projection.CatchUpAsync(CancellationToken.None);
            at = rig.Clock.GetUtcNow();
            before = [.. Render(await new KanbatteQueries(new SqliteViewStore(rig.Db), rig.Events).BoardAsOfAsync("OL", at, 100))];
        }
        // The layout before: the snapshot tables in the store's own file, with a snapshot that names a task wrongly.
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE board_snapshots (project_key TEXT NOT NULL, position INTEGER NOT NULL, at TEXT NOT NULL, full INTEGER NOT NULL,
                    tasks INTEGER NOT NULL, complete INTEGER NOT NULL, PRIMARY KEY (project_key, position)) WITHOUT ROWID;
                CREATE TABLE board_snapshot_rows (project_key TEXT NOT NULL, position INTEGER NOT NULL, task_id TEXT NOT NULL, data TEXT NOT NULL,
                    PRIMARY KEY (project_key, position, task_id)) WITHOUT ROWID;
                INSERT INTO board_snapshots (project_key, position, at, full, tasks, complete) VALUES ('OL', 3, '2026-01-01T00:00:00.001Z', 1, 1, 1);
                INSERT INTO board_snapshot_rows VALUES ('OL', 3, 'OL-1', '{}');
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        using (var rig = Rig.Open(path, every: 3))
        {
            await using (var connection = rig.Db.Open())
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT COUNT(*) FROM sqlite_schema WHERE name LIKE 'board_snapshot%'";
                Assert.Equal(0L, await command.ExecuteScalarAsync());
            }
            await rig.Snapshots.CaptureAsync();
            var taken = await rig.Snapshots.LatestAsync("OL", at);
            Assert.NotNull(taken);
            Assert.Equal(6, taken.TasksJson.Count);
            Assert.Equal(before, Render(await new KanbatteQueries(new SqliteViewStore(rig.Db), rig.Events, rig.Snapshots).BoardAsOfAsync("OL", at, 100)));
        }
    }

    /// <summary>
    /// The store's file restored from a backup older than its snapshots, then written again: the log at a snapshot's
    /// position now holds another event, and a board composed from that snapshot would show tasks the log never had.
    /// </summary>
    [Fact]
    public async Task Snapshots_of_another_history_are_never_used_and_are_taken_again()
    {
        var path = Path.Combine(_folder.FullName, "restored.db");
        var backup = Path.Combine(_folder.FullName, "backup.db");
        using (var rig = Rig.Open(path, every: 3))
        {
            await rig.Commands.CreateProjectAsync(new CreateProject("RS", "Restored", null, null), Meta);
            for (var i = 0; i < 2; i++) await rig.Commands.CreateTaskAsync("RS", new CreateTask($"Kept {i}", null, null), Meta);
            await rig.Projection.CatchUpAsync(CancellationToken.None);
            await using (var source = rig.Db.Open())
            await using (var copy = new SqliteConnection($"Data Source={backup}"))
            {
                await copy.OpenAsync();
                source.BackupDatabase(copy);
            }
            for (var i = 0; i < 4; i++) await rig.Commands.CreateTaskAsync("RS", new CreateTask($"Lost {i}", null, null), Meta);
            await rig.Projection.CatchUpAsync(CancellationToken.None);
            await rig.Snapshots.CaptureAsync();
            var stale = await rig.Snapshots.LatestAsync("RS", rig.Clock.GetUtcNow().AddDays(1));
            Assert.Contains(stale!.TasksJson, t => t.Contains("Lost 3", StringComparison.Ordinal));
        }
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        File.Copy(backup, path); // the snapshots' file stays as it was

        using (var rig = Rig.Open(path, every: 3))
        {
            rig.Clock.Set(DateTimeOffset.Parse("2026-06-01T00:00:00Z")); // written months later
            var later = rig.Clock.GetUtcNow().AddDays(1);
            // The log has not reached the snapshot's position yet.
            Assert.Null(await rig.Snapshots.LatestAsync("RS", later));
            for (var i = 0; i < 6; i++) await rig.Commands.CreateTaskAsync("RS", new CreateTask($"New {i}", null, null), Meta);
            await rig.Projection.CatchUpAsync(CancellationToken.None);
            // Past it now, with other events there.
            Assert.Null(await rig.Snapshots.LatestAsync("RS", later));
            var fromLog = Render(await new KanbatteQueries(new SqliteViewStore(rig.Db), rig.Events).BoardAsOfAsync("RS", later, 100));
            Assert.Equal(fromLog, Render(await new KanbatteQueries(new SqliteViewStore(rig.Db), rig.Events, rig.Snapshots).BoardAsOfAsync("RS", later, 100)));

            await rig.Snapshots.CaptureAsync();
            var taken = await rig.Snapshots.LatestAsync("RS", later);
            Assert.NotNull(taken);
            Assert.Equal(8, taken.TasksJson.Count);
            Assert.DoesNotContain(taken.TasksJson, t => t.Contains("Lost", StringComparison.Ordinal));
            Assert.Equal(1, await CountSnapshotsAsync(rig.Snapshots));
            Assert.Equal(fromLog, Render(await new KanbatteQueries(new SqliteViewStore(rig.Db), rig.Events, rig.Snapshots).BoardAsOfAsync("RS", later, 100)));
        }
    }

    /// <summary>
    /// A snapshot is copied in one transaction of the snapshots' file, reading the store's file: however long it takes (here
    /// held up by another holder of the snapshots' file), the store's writers go on.
    /// </summary>
    [Fact]
    public async Task A_snapshot_under_way_leaves_the_writers_free()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "free.db"), every: 3);
        await rig.Commands.CreateProjectAsync(new CreateProject("FR", "Free", null, null), Meta);
        for (var i = 0; i < 4; i++) await rig.Commands.CreateTaskAsync("FR", new CreateTask($"T{i}", null, null), Meta);
        await rig.Projection.CatchUpAsync(CancellationToken.None);

        await using var holder = OpenSnapshots(rig.Snapshots);
        var hold = holder.BeginTransaction(deferred: false);
        // On a thread of its own, as the server runs it: Microsoft.Data.Sqlite's calls are synchronous, even the async ones.
        var capture = Task.Run(() => rig.Snapshots.CaptureAsync());
        await Task.Delay(500); // the capture has read the log and waits for the snapshots' file (on a busy machine, maybe not yet)
        Assert.False(capture.IsCompleted);

        // Projected as it is appended, as the server writes: should the capture read the log only after it, the view still
        // holds every event and the snapshot is taken there (the test is about the writer, not about which position).
        var inline = new KanbatteCommands(
            new WritePipeline(rig.Events, rig.Clock, LoadOption.RequireLoad, null,
                [new InlineProjection(new ProjectionProgress(), new ProjectNotifications(), new StreamStateCache(), rig.Clock, NullLogger<InlineProjection>.Instance)], []),
            new SqliteCounterStore(rig.Db), new SqliteViewStore(rig.Db), rig.Clock);
        var written = inline.CreateTaskAsync("FR", new CreateTask("Written meanwhile", null, null), Meta);
        await written.WaitAsync(TimeSpan.FromSeconds(5));
        hold.Rollback();
        await capture.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await CountSnapshotsAsync(rig.Snapshots));
        // The premise: the write moved the view's checkpoint with it.
        Assert.Equal((await rig.Events.ReadAllAsync(0, 100))[^1].Position, await new SqliteCheckpointStore(rig.Db).GetAsync(FeedProjection.Consumer));
    }

    [Fact]
    public async Task No_snapshot_is_taken_while_one_of_the_projects_events_is_parked()
    {
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "parked.db"), every: 3);
        var (db, events, commands, projection, snapshots) = (rig.Db, rig.Events, rig.Commands, rig.Projection, rig.Snapshots);
        await commands.CreateProjectAsync(new CreateProject("PK", "Parked", null, null), Meta);
        for (var i = 0; i < 5; i++) await commands.CreateTaskAsync("PK", new CreateTask($"T{i}", null, null), Meta);
        await projection.CatchUpAsync(CancellationToken.None);
        var all = await events.ReadAllAsync(0, 100);

        await new SqliteDeadLetterStore(db).ParkAsync(all[2], "poison", DateTimeOffset.UtcNow);
        await snapshots.CaptureAsync();
        Assert.Equal(0, await CountSnapshotsAsync(snapshots));

        await new SqliteDeadLetterStore(db).RemoveAsync(all[2].StreamId, all[2].Version);
        await snapshots.CaptureAsync();
        Assert.Equal(1, await CountSnapshotsAsync(snapshots));
    }

    [Fact]
    public async Task No_snapshot_is_taken_of_a_view_the_feed_projection_has_written_ahead_of_its_checkpoint()
    {
        // The feed projection writes a batch's view documents, then moves the checkpoint: a snapshot taken in between would
        // date the later events' changes at the checkpoint, and every board as of a time before them would show them.
        using var rig = Rig.Open(Path.Combine(_folder.FullName, "ahead.db"), every: 3);
        await rig.Commands.CreateProjectAsync(new CreateProject("AH", "Ahead", null, null), Meta);
        for (var i = 0; i < 5; i++) await rig.Commands.CreateTaskAsync("AH", new CreateTask($"T{i}", null, null), Meta);
        await rig.Projection.CatchUpAsync(CancellationToken.None);
        var before = rig.Clock.GetUtcNow();
        await rig.Commands.ChangeTaskAsync("AH-001", new ChangeTask("Renamed later", null, Statuses.Done), null, Meta);
        var view = new SqliteViewStore(rig.Db);
        await new Projector(view, rig.Events).ProjectAsync(await rig.Events.ReadAllAsync(6, 100)); // the view written, the checkpoint not yet

        await rig.Snapshots.CaptureAsync();
        Assert.Equal(0, await CountSnapshotsAsync(rig.Snapshots));

        await rig.Projection.CatchUpAsync(CancellationToken.None);
        await rig.Snapshots.CaptureAsync();
        Assert.Equal(1, await CountSnapshotsAsync(rig.Snapshots));
        var fromLog = new KanbatteQueries(view, rig.Events);
        var withSnapshots = new KanbatteQueries(view, rig.Events, rig.Snapshots);
        foreach (var at in new[] { before, rig.Clock.GetUtcNow() })
            Assert.Equal(Render(await fromLog.BoardAsOfAsync("AH", at, 100)), Render(await withSnapshots.BoardAsOfAsync("AH", at, 100)));
    }

    private static SqliteConnection OpenSnapshots(SqliteSnapshotStore snapshots)
    {
        var connection = new SqliteConnection($"Data Source={snapshots.Path}");
        connection.Open();
        return connection;
    }

    private static async Task<long> CountSnapshotsAsync(SqliteSnapshotStore snapshots)
    {
        await using var connection = OpenSnapshots(snapshots);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM board_snapshots";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static IEnumerable<string> Render(IReadOnlyList<(string Status, int Count, IReadOnlyList<TaskState> Tasks)> board) =>
        board.Select(c => $"{c.Status}:{c.Count}:{string.Join(",", c.Tasks.Select(t => KanbatteJson.Serialize(t)))}");

    [Fact]
    public async Task Reading_for_a_snapshot_or_a_board_as_of_leaves_the_writer_free()
    {
        // Snapshots and boards as of a time read in a transaction (one consistent state); it must not take the write lock,
        // or every writer's statement is busy and retried until the reading ends (stalls of 150 ms and more under load).
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        await using var session = db.Read();
        await using var transaction = session.BeginRead();
        var count = session.Command("SELECT COUNT(*) FROM counters");
        count.Transaction = transaction;
        Assert.Equal(0L, await count.ExecuteScalarAsync());

        var write = db.WriteAsync(async writer =>
        {
            var insert = writer.Command("INSERT INTO counters (project_key, name, value) VALUES ('RD', 'task', 1)");
            return await insert.ExecuteNonQueryAsync();
        }, CancellationToken.None);
        Assert.Equal(1, await write.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0L, await count.ExecuteScalarAsync()); // the reading still sees the state it started with
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    /// <summary>A file with what the snapshot tests drive: commands, the feed projection, and snapshots every <c>every</c> events.</summary>
    private sealed record Rig(SqliteDatabase Db, SqliteEventStore Events, KanbatteCommands Commands, FeedProjection Projection,
        SqliteSnapshotStore Snapshots, SteppingClock Clock) : IDisposable
    {
        public static Rig Open(string path, int every)
        {
            var db = new SqliteDatabase(new SqliteOptions { Path = path });
            var events = new SqliteEventStore(db);
            var view = new SqliteViewStore(db);
            var clock = new SteppingClock();
            return new Rig(db, events, new KanbatteCommands(new WritePipeline(events, clock), new SqliteCounterStore(db), view, clock),
                new FeedProjection(events, new SqliteCheckpointStore(db), new Projector(view, events),
                    new ProjectionProgress(), new ProjectNotifications(), NullLogger<FeedProjection>.Instance),
                new SqliteSnapshotStore(db, every), clock);
        }

        public void Dispose() => Db.Dispose();
    }

    /// <summary>A clock that moves one millisecond per reading, so every event has its own time.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        public override DateTimeOffset GetUtcNow() => _now = _now.AddMilliseconds(1);

        /// <summary>Sets the clock, forward or back (a writer whose clock is off).</summary>
        public void Set(DateTimeOffset now) => _now = now;
    }
}
