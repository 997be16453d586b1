using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Kanbatte.ReliabilityTests;

/// <summary>The rebuild command: a new view from the log, swapped in atomically, while the server goes on serving.</summary>
public sealed class RebuildTests(ITestOutputHelper output) : IDisposable
{
    private static readonly EventMetadata Meta = new("rebuild-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-rebuild-");
    private string Db => Path.Combine(_folder.FullName, "k.db");

    [Fact]
    public async Task A_damaged_view_is_replaced_by_the_fold_of_the_log_with_its_indexes_and_checkpoint()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Db });
        var events = new SqliteEventStore(db);
        var commands = new KanbatteCommands(new WritePipeline(events, TimeProvider.System), new SqliteCounterStore(db), new SqliteViewStore(db), TimeProvider.System);
        await commands.CreateProjectAsync(new CreateProject("RB", "Rebuild", null, null), Meta);
        for (var i = 0; i < 30; i++)
        {
            var task = await commands.CreateTaskAsync("RB", new CreateTask($"Task {i}", null, null), Meta);
            if (i % 2 == 0) await commands.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.Done), null, Meta);
            if (i % 3 == 0) await commands.AddCommentAsync(task.Id, new AddComment("c"), Meta);
        }
        // Damage: a lost row, a corrupted row, a row no event explains, a stale checkpoint, wrong board counts and a left-over half rebuild.
        await using (var connection = db.Open())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT INTO view (partition, id, kind, version, data) VALUES ('RB', 'task:RB-001', 'task', 1, '{}');
                INSERT INTO view (partition, id, kind, version, data) VALUES ('ZZ', 'task:ZZ-001', 'task', 9, '{}');
                INSERT INTO checkpoints VALUES ('view', 3);
                UPDATE view_task_counts SET tasks = 99;
                INSERT INTO view_task_counts VALUES ('ZZ', 'todo', 1);
                CREATE TABLE view_rebuild (x);
                """;
            await command.ExecuteNonQueryAsync();
        }

        var result = await new SqliteViewRebuild(db, events).RunAsync();

        var log = await LogOracle.ReadLogAsync(events);
        Assert.Equal(log.Count, result.Events);
        Assert.Equal(log[^1].Position, result.Position);
        LogOracle.AssertSame(LogOracle.Fold(log), LogOracle.ViewRows(Db), "rebuilt view vs fold of the log");
        Assert.Equal(log[^1].Position, LogOracle.Scalar(Db, "SELECT position FROM checkpoints WHERE consumer = 'view'"));
        Assert.Equal(0, LogOracle.Scalar(Db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'view_rebuild'"));
        Assert.Equal(3, LogOracle.Scalar(Db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'view' AND name IN ('ix_view_by_number', 'ix_view_by_column', 'ix_view_children')"));
        // The board's counts are the rebuilt view's (damaged ones recounted), and kept by its triggers.
        Assert.Equal(15, LogOracle.Scalar(Db, "SELECT tasks FROM view_task_counts WHERE partition = 'RB' AND status = 'done'"));
        Assert.Equal(15, LogOracle.Scalar(Db, "SELECT tasks FROM view_task_counts WHERE partition = 'RB' AND status = 'todo'"));
        Assert.Equal(0, LogOracle.Scalar(Db, "SELECT COALESCE(SUM(tasks), 0) FROM view_task_counts WHERE partition = 'ZZ'"));
        Assert.Equal(3, LogOracle.Scalar(Db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'view' AND name LIKE 'view_counts_%'"));
        Assert.Equal(4, LogOracle.Scalar(Db, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'view'"));
        // The list queries still use their index after the swap.
        Assert.Contains("ix_view_by_number", PlanOf("SELECT * FROM view WHERE partition = 'RB' AND kind = 'task' AND number > 0 ORDER BY number LIMIT 5"));
    }

    [Fact]
    public async Task The_rebuild_command_swaps_while_the_real_server_serves_reads_and_writes()
    {
        await using var server = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={Db}");
        var client = server.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("api/projects", new { key = "RB", name = "Rebuild" })).StatusCode);
        var seeded = await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            for (var i = 0; i < 100; i++)
            {
                var created = await client.PostAsJsonAsync("api/projects/RB/tasks", new { title = $"Seed {w}-{i}" });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            return true;
        }));

        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var reads = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var url = random.Next(2) == 0 ? $"api/tasks/RB-{random.Next(1, 400):D3}" : "api/projects/RB/tasks?limit=20&status=todo,done";
                var response = await client.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) failures.Enqueue($"{(int)response.StatusCode} for {url}");
                Interlocked.Increment(ref reads);
            }
        })).ToList();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await client.PatchAsJsonAsync($"api/tasks/RB-{i % 400 + 1:D3}", new { status = i % 2 == 0 ? "done" : "todo" });
                if (response.StatusCode != HttpStatusCode.OK) failures.Enqueue($"{(int)response.StatusCode} for a patch");
                if (i % 10 == 0) await client.PostAsJsonAsync("api/projects/RB/tasks", new { title = $"During {i}" });
            }
        });

        await Task.Delay(300);
        var (exitCode, text) = await RunRebuildAsync();
        output.WriteLine(text);
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(readers.Append(writer));

        Assert.Equal(0, exitCode);
        Assert.Contains("swapped in", text);
        Assert.True(failures.IsEmpty, $"{failures.Count} failed requests during the rebuild, e.g. {string.Join("; ", failures.Take(5))}");
        Assert.True(reads > 50, $"only {reads} reads ran during the rebuild");

        // After the writes stop, the projector catches up and the view is the fold of the log.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (LogOracle.Scalar(Db, "SELECT position FROM checkpoints WHERE consumer = 'view'") < LogOracle.Scalar(Db, "SELECT MAX(position) FROM event_log"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the projector did not catch up after the rebuild");
            await Task.Delay(50);
        }
        using var db = new SqliteDatabase(new SqliteOptions { Path = Db });
        var log = await LogOracle.ReadLogAsync(new SqliteEventStore(db));
        LogOracle.AssertSame(LogOracle.Fold(log), LogOracle.ViewRows(Db), "view vs fold of the log after the rebuild");
    }

    /// <summary>Runs the built server with <c>rebuild</c>, as <c>dotnet run --project src/Kanbatte.Server -- rebuild</c> does.</summary>
    private async Task<(int ExitCode, string Output)> RunRebuildAsync()
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kanbatte.Server.dll"));
        start.ArgumentList.Add("rebuild");
        start.ArgumentList.Add($"--Kanbatte:Sqlite:Path={Db}");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private string PlanOf(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read()) plan.Add(reader.GetString(3));
        return string.Join(" / ", plan);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
