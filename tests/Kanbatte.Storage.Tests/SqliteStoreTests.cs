using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Tests;

/// <summary>SQLite specifics: the log is append-only in the database itself, and data outlives the process's handles.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-sqlite-");
    private string DbPath => Path.Combine(_folder.FullName, "k.db");

    [Theory]
    [InlineData("UPDATE event_log SET data = '{}'")]
    [InlineData("DELETE FROM event_log")]
    [InlineData("UPDATE event_log SET version = 5 WHERE version = 1")]
    public async Task The_event_log_refuses_updates_and_deletes(string sql)
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        await new SqliteEventStore(db).AppendAsync("project:AI", 0, [EventStoreContractEvents.Of("project:AI", 1)]);

        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var e = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("append-only", e.Message);
        Assert.Single(await new SqliteEventStore(db).ReadStreamAsync("project:AI", 1));
    }

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        using (var db = new SqliteDatabase(new SqliteOptions { Path = DbPath }))
        {
            await new SqliteEventStore(db).AppendAsync("project:AI", 0, [EventStoreContractEvents.Of("project:AI", 1)]);
            await new SqliteCheckpointStore(db).SaveAsync("view", 1);
        }
        SqliteConnection.ClearAllPools();

        using var reopened = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        Assert.Single(await new SqliteEventStore(reopened).ReadStreamAsync("project:AI", 1));
        Assert.Equal(1, await new SqliteCheckpointStore(reopened).GetAsync("view"));
    }

    [Fact]
    public async Task Idempotency_keys_are_claimed_once_completed_and_purged_after_their_time()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        var store = new SqliteIdempotencyStore(db);
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

        Assert.Null(await store.TryClaimAsync("k", "h1", t0, _ => false));
        var pending = await store.TryClaimAsync("k", "h1", t0, _ => false);
        Assert.Equal(("h1", null as Kanbatte.Application.StoredResponse), (pending!.RequestHash, pending.Response));

        await store.CompleteAsync("k", t0, new Kanbatte.Application.StoredResponse(201, "application/json", [1, 2], "/x", "\"1\""));
        var done = await store.TryClaimAsync("k", "h2", t0, _ => false);
        Assert.Equal((201, "/x", "\"1\""), (done!.Response!.Status, done.Response.Location, done.Response.ETag));
        Assert.Equal([1, 2], done.Response.Body);

        await store.PurgeAsync(t0);                    // not older than the cut-off: kept
        Assert.NotNull(await store.TryClaimAsync("k", "h1", t0, _ => false));
        await store.PurgeAsync(t0.AddHours(25));       // older: gone, so the key can be claimed afresh
        Assert.Null(await store.TryClaimAsync("k", "h3", t0.AddHours(25), _ => false));
    }

    [Fact]
    public async Task A_large_projects_column_is_read_through_its_index_whatever_statistics_the_file_held()
    {
        // Without statistics SQLite's planner takes a partition for a few rows and answered "the last task of a column"
        // (every move to a column's bottom) by scanning every row of the project. Statistics gathered from a sample say
        // the same (its rows all come from one project), and gathering them in full held every writer for most of a
        // second on a large file; so the store writes its own when it opens the file.
        using (var first = new SqliteDatabase(new SqliteOptions { Path = DbPath }))
        {
            // A project's partition as the view holds it: tasks in five columns, and more comments than tasks.
            var statuses = new[] { "backlog", "todo", "in_progress", "review", "done" };
            var tasks = Enumerable.Range(1, 3000).Select(n => new ViewDocument("BIG", $"task:BIG-{n}", "task", 1,
                $$"""{"id":"BIG-{{n}}","number":{{n}},"status":"{{statuses[n % 5]}}","rank":"r{{n:D6}}","archived":false,"title":"Task {{n}}"}"""));
            var comments = Enumerable.Range(1, 6000).Select(n => new ViewDocument("BIG", $"comment:{n}", "comment", 1,
                $$"""{"id":"{{n}}","number":{{n}},"taskId":"BIG-{{n % 3000 + 1}}","text":"A remark"}"""));
            await new SqliteViewStore(first).WriteAsync(tasks.Concat(comments).Select(d => new ViewChange(d)).ToList());
            await using var sampling = first.Open();
            await using var analyze = sampling.CreateCommand();
            analyze.CommandText = "PRAGMA analysis_limit = 400; ANALYZE;"; // what a bounded PRAGMA optimize leaves behind
            await analyze.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath });

        const string lastOfColumn = """
            EXPLAIN QUERY PLAN SELECT partition, id, kind, version, data FROM view
            WHERE partition = 'BIG' AND kind = 'task' AND archived = 0 AND status IN ('done')
            ORDER BY rank DESC, number DESC LIMIT 2
            """;
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = lastOfColumn;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        Assert.Contains(plan, step => step.Contains("USING INDEX ix_view_by_column", StringComparison.Ordinal));

        // A task's comments: through the index of comments and followups alone (tasks have no entries in it).
        command.CommandText = """
            EXPLAIN QUERY PLAN SELECT partition, id, kind, version, data FROM view
            WHERE partition = 'BIG' AND kind = 'comment' AND task_id = 'BIG-7' AND number > 0 ORDER BY number LIMIT 50
            """;
        plan.Clear();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        Assert.Contains(plan, step => step.Contains("USING INDEX ix_view_children", StringComparison.Ordinal));
        command.CommandText = "SELECT COUNT(*) FROM view INDEXED BY ix_view_children WHERE partition = 'BIG' AND kind = 'comment'";
        Assert.Equal(6000L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_wal_is_emptied_past_its_limit_though_readers_keep_overlapping()
    {
        // Under load a reader always holds some old frames, so a PASSIVE checkpoint never lets SQLite start the WAL over
        // and the file grows without end; past its limit the background checkpoint empties it all the same.
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath, BackgroundCheckpoints = true, MaxWalPages = 50 });
        using var stop = new CancellationTokenSource();
        var overlapping = Task.Run(async () =>
        {
            (SqliteSession Session, SqliteTransaction Transaction)? previous = null;
            while (!stop.IsCancellationRequested)
            {
                var session = db.Read();
                var transaction = session.BeginRead();
                var count = session.Command("SELECT COUNT(*) FROM counters");
                count.Transaction = transaction;
                await count.ExecuteScalarAsync();
                if (previous is { } last)
                {
                    last.Transaction.Dispose();
                    await last.Session.DisposeAsync();
                }
                previous = (session, transaction);
                await Task.Delay(2);
            }
            if (previous is { } open)
            {
                open.Transaction.Dispose();
                await open.Session.DisposeAsync();
            }
        });

        await WriteCountersAsync(db, 200);
        // As the server's background service does: checkpoints every so often (one may find a reader still on old frames).
        var walPages = -1;
        for (var attempt = 0; attempt < 100 && walPages != 0; attempt++)
        {
            (walPages, _) = await db.CheckpointAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            if (walPages != 0) await Task.Delay(20);
        }
        await stop.CancelAsync();
        await overlapping;

        Assert.Equal(0, walPages);
        Assert.Equal(0, new FileInfo(DbPath + "-wal").Length);
        await using var check = db.Open();
        await using var command = check.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM counters";
        Assert.Equal(200L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_file_from_before_the_board_counts_is_counted_when_opened()
    {
        using (var db = new SqliteDatabase(new SqliteOptions { Path = DbPath }))
        {
            await new SqliteViewStore(db).WriteAsync(new[] { "todo", "todo", "done" }.Select((status, i) => new ViewChange(
                new ViewDocument("OLD", $"task:OLD-{i}", "task", 1, $$"""{"id":"OLD-{{i}}","number":{{i}},"status":"{{status}}","archived":false}"""))).ToList());
            await using var connection = db.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER view_counts_insert; DROP TRIGGER view_counts_update; DROP TRIGGER view_counts_delete;
                DROP TABLE view_task_counts;
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        using var reopened = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        var view = new SqliteViewStore(reopened);
        Assert.Equal(new Dictionary<string, int> { ["todo"] = 2, ["done"] = 1 }, (await view.CountTasksByStatusAsync("OLD")).ToDictionary());
        await view.WriteAsync([new ViewChange(new ViewDocument("OLD", "task:OLD-0", "task", 2, """{"id":"OLD-0","number":0,"status":"done","archived":false}"""))]);
        Assert.Equal(new Dictionary<string, int> { ["todo"] = 1, ["done"] = 2 }, (await view.CountTasksByStatusAsync("OLD")).ToDictionary());
    }

    [Fact]
    public async Task A_view_from_before_the_list_columns_gets_them_when_opened()
    {
        // The earlier layout: the view's documents only, lists on indexes of json_extract(data, ...), counts kept by
        // triggers that read the JSON.
        await using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            await using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE view (partition TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
                    PRIMARY KEY (partition, id)) WITHOUT ROWID;
                CREATE TABLE view_task_counts (partition TEXT NOT NULL, status TEXT NOT NULL, tasks INTEGER NOT NULL, PRIMARY KEY (partition, status)) WITHOUT ROWID;
                CREATE TRIGGER view_task_counts_insert AFTER INSERT ON view WHEN new.kind = 'task' AND json_extract(new.data, '$.archived') = 0
                BEGIN
                    INSERT INTO view_task_counts (partition, status, tasks) VALUES (new.partition, json_extract(new.data, '$.status'), 1)
                    ON CONFLICT (partition, status) DO UPDATE SET tasks = tasks + 1;
                END;
                CREATE INDEX ix_view_number ON view (partition, kind, json_extract(data, '$.number'));
                CREATE INDEX ix_view_comments ON view (partition, kind, json_extract(data, '$.taskId'), json_extract(data, '$.number'));
                INSERT INTO view VALUES
                    ('OLD', 'task:OLD-1', 'task', 1, '{"id":"OLD-1","number":1,"status":"todo","rank":"b","archived":false}'),
                    ('OLD', 'task:OLD-2', 'task', 3, '{"id":"OLD-2","number":2,"status":"done","rank":"a","archived":false}'),
                    ('OLD', 'task:OLD-3', 'task', 2, '{"id":"OLD-3","number":3,"status":"todo","rank":"c","archived":true}'),
                    ('OLD', 'comment:C1', 'comment', 1, '{"id":"C1","number":1,"taskId":"OLD-2","text":"Seen"}');
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        var view = new SqliteViewStore(db);
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('ix_view_number', 'ix_view_comments', 'view_task_counts_insert')"));
        Assert.Equal(new Dictionary<string, int> { ["todo"] = 1, ["done"] = 1 }, (await view.CountTasksByStatusAsync("OLD")).ToDictionary());
        Assert.Equal(["task:OLD-2", "task:OLD-1"], (await view.ListTasksAsync(new TaskListQuery("OLD", [], 0, 10) { Sort = TaskSort.Rank })).Select(d => d.Id));
        Assert.Equal(["task:OLD-3"], (await view.ListTasksAsync(new TaskListQuery("OLD", ["todo"], 0, 10) { Archived = true })).Select(d => d.Id));
        Assert.Equal(["comment:C1"], (await view.ListCommentsAsync("OLD", "OLD-2", 0, 10)).Select(d => d.Id));

        // Kept from here on by the new triggers: a rename counts nothing, a move and an unarchive count once each.
        await view.WriteAsync([
            new ViewChange(new ViewDocument("OLD", "task:OLD-1", "task", 2, """{"id":"OLD-1","number":1,"status":"todo","rank":"b","archived":false,"title":"Renamed"}""")),
            new ViewChange(new ViewDocument("OLD", "task:OLD-2", "task", 4, """{"id":"OLD-2","number":2,"status":"todo","rank":"a","archived":false}""")),
            new ViewChange(new ViewDocument("OLD", "task:OLD-3", "task", 3, """{"id":"OLD-3","number":3,"status":"todo","rank":"c","archived":false}""")),
        ]);
        Assert.Equal(new Dictionary<string, int> { ["todo"] = 3 }, (await view.CountTasksByStatusAsync("OLD")).ToDictionary());
        Assert.Equal(["task:OLD-2", "task:OLD-1", "task:OLD-3"], (await view.ListTasksAsync(new TaskListQuery("OLD", ["todo"], 0, 10) { Sort = TaskSort.Rank })).Select(d => d.Id));
    }

    [Fact]
    public async Task A_rename_a_move_and_a_redelivered_older_state_leave_the_document_its_lists_and_its_counts_right()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        var view = new SqliteViewStore(db);
        static ViewChange Task(int version, string title, string status) => new(
            new ViewDocument("P", "task:P-1", "task", version, $$"""{"id":"P-1","number":1,"status":"{{status}}","rank":"m","archived":false,"title":"{{title}}"}"""));
        await view.WriteAsync([Task(1, "First", "todo")]);
        await view.WriteAsync([Task(2, "Renamed", "todo")]);
        Assert.Equal(2, (await view.GetAsync("P", "task:P-1"))!.Version);
        await view.WriteAsync([Task(3, "Renamed", "done")]);
        await view.WriteAsync([Task(2, "Renamed", "todo")]); // a redelivery of an older state: through neither statement
        var doc = (await view.GetAsync("P", "task:P-1"))!;
        Assert.Equal(3, doc.Version);
        Assert.Contains("\"done\"", doc.Json);
        Assert.Equal(new Dictionary<string, int> { ["done"] = 1 }, (await view.CountTasksByStatusAsync("P")).ToDictionary());
        Assert.Equal(["task:P-1"], (await view.ListTasksAsync(new TaskListQuery("P", ["done"], 0, 10))).Select(d => d.Id));
        Assert.Empty(await view.ListTasksAsync(new TaskListQuery("P", ["todo"], 0, 10)));
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task The_writer_checkpoints_in_its_own_commit_only_past_four_times_the_wal_bound()
    {
        // Between the bound and the net the background checkpoint has time to empty the WAL outside the writers' turn.
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath, BackgroundCheckpoints = true, MaxWalPages = 1_000 });
        Assert.Equal(4_000L, await db.WriteAsync(session => session.Command("PRAGMA wal_autocheckpoint").ExecuteScalarAsync(), CancellationToken.None));
        using var defaults = new SqliteDatabase(new SqliteOptions { Path = DbPath + ".defaults", BackgroundCheckpoints = true });
        Assert.Equal(65_536L, await defaults.WriteAsync(session => session.Command("PRAGMA wal_autocheckpoint").ExecuteScalarAsync(), CancellationToken.None));
    }

    [Fact]
    public async Task A_long_reader_does_not_hold_the_writers_behind_the_checkpoint_that_empties_the_wal()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath, BackgroundCheckpoints = true, MaxWalPages = 50 });
        await using var session = db.Read();
        await using var transaction = session.BeginRead(); // a long reader: a snapshot of a large project, say
        var count = session.Command("SELECT COUNT(*) FROM counters");
        count.Transaction = transaction;
        await count.ExecuteScalarAsync();
        await WriteCountersAsync(db, 100);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (walPages, _) = await db.CheckpointAsync(CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the checkpoint held the writers for {clock.Elapsed}");
        Assert.True(walPages > 0); // not emptied yet: the next checkpoint tries again
    }

    [Fact]
    public async Task While_writes_go_on_the_wal_starts_over_in_place_and_its_space_is_given_back_once_they_pause()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath, BackgroundCheckpoints = true, MaxWalPages = 50 });
        await WriteCountersAsync(db, 100);
        var size = new FileInfo(DbPath + "-wal").Length;
        Assert.True((await db.CheckpointAsync(CancellationToken.None)).WalPages >= 50); // past the limit: started over at the next write

        // Writes go on: they start the WAL from its beginning, in the file as it is (no truncation in the writers' turn).
        await WriteCountersAsync(db, 5, "Q");
        var (walPages, checkpointed) = await db.CheckpointAsync(CancellationToken.None);
        Assert.InRange(walPages, 1, 49);
        Assert.Equal(walPages, checkpointed);
        Assert.Equal(size, new FileInfo(DbPath + "-wal").Length);

        // Writes pause: the next checkpoint finds the WAL as it was and all copied, and gives the file's space back.
        Assert.Equal((0, 0), await db.CheckpointAsync(CancellationToken.None));
        Assert.Equal(0, new FileInfo(DbPath + "-wal").Length);
        await using var check = db.Open();
        await using var command = check.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM counters";
        Assert.Equal(105L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_checkpoint_that_flushes_the_files_ahead_of_the_writers_turn_while_they_write_leaves_the_database_whole()
    {
        // The flushes go through SQLite's own file objects (sqlite3_file_control, then the VFS's xSync): a wrong slot of
        // its method table would truncate or write the file instead, which the integrity check and the counts would show.
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath, BackgroundCheckpoints = true, MaxWalPages = 50 });
        await WriteCountersAsync(db, 100);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            var batches = 0;
            while (!stop.IsCancellationRequested) await WriteCountersAsync(db, 10, $"W{batches++}-");
            return batches * 10;
        });
        // Passes as the server's background service makes them, until three have found the WAL past its bound (each
        // flushing ahead of its restart while the writes go on); the writer's own net at four times the bound may
        // restart it first now and then, so a pass may find it short.
        var restarted = 0;
        for (var pass = 0; pass < 400 && restarted < 3; pass++)
        {
            if ((await Task.Run(() => db.CheckpointAsync(CancellationToken.None))).WalPages >= 50) restarted++;
            await Task.Delay(5);
        }
        await stop.CancelAsync();
        var written = await writing;
        Assert.True(restarted == 3, $"{restarted} checkpoints found the WAL past its bound");

        await using var check = db.Open();
        await using var command = check.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", await command.ExecuteScalarAsync());
        command.CommandText = "SELECT COUNT(*) FROM counters";
        Assert.Equal(100L + written, await command.ExecuteScalarAsync());
    }

    /// <summary>Small writes, one a commit, so the WAL grows by a frame or more each.</summary>
    private static async Task WriteCountersAsync(SqliteDatabase db, int count, string prefix = "P")
    {
        for (var i = 0; i < count; i++)
            await db.WriteAsync(async writer =>
            {
                var insert = writer.Command("INSERT INTO counters (project_key, name, value) VALUES ($k, 'task', 1)");
                insert.Parameters.AddWithValue("$k", $"{prefix}{i}");
                return await insert.ExecuteNonQueryAsync();
            }, CancellationToken.None);
    }

    [Fact]
    public void An_unknown_synchronous_mode_is_refused() =>
        Assert.Throws<ArgumentException>(() => new SqliteDatabase(new SqliteOptions { Path = DbPath, Synchronous = "sometimes" }));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
