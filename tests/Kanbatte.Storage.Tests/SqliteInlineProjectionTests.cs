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
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var progress = new ProjectionProgress();
        var events = new SqliteEventStore(db, new SqliteInlineProjection(progress, NullLogger<SqliteInlineProjection>.Instance, new SqliteSnapshotStore(db)));
        var view = new SqliteViewStore(db);
        var checkpoints = new SqliteCheckpointStore(db);
        var commands = new KanbatteCommands(events, new SqliteCounterStore(db), view, new EventualConsistency(), TimeProvider.System);

        // Caught up: the task's document and the checkpoint come with the append itself.
        await commands.CreateProjectAsync(new CreateProject("IN", "Inline", null, null), Meta);
        var task = await commands.CreateTaskAsync("IN", new CreateTask("Projected at once", null, null), Meta);
        Assert.Equal(1, (await view.GetAsync(ViewKeys.Task("IN", task.Id).Partition, ViewKeys.Task("IN", task.Id).Id))?.Version);
        Assert.Equal(2, await checkpoints.GetAsync(FeedProjection.Consumer));
        Assert.Equal(2, progress.Projected);

        // An event the projector cannot apply (no projection for its stream): the append stands, the view and checkpoint do not move.
        var poison = await events.AppendAsync("other:1", 0, [new EventEnvelope("other:1", 1, "task_created", 2, JsonDocument.Parse("{}").RootElement, DateTimeOffset.UtcNow, Meta)]);
        Assert.Equal(3, poison);
        Assert.Equal(2, await checkpoints.GetAsync(FeedProjection.Consumer));
        Assert.Equal(2, progress.Projected);

        // Behind now: the next append is left to the feed projection too, which parks the poison and catches up.
        await commands.ChangeTaskAsync(task.Id, new ChangeTask("Renamed", null, null), null, Meta);
        Assert.Equal(1, (await view.GetAsync(ViewKeys.Task("IN", task.Id).Partition, ViewKeys.Task("IN", task.Id).Id))?.Version);
        var deadLetters = new SqliteDeadLetterStore(db);
        var feed = new FeedProjection(events, checkpoints, new ResilientProjector(new Projector(view, events), deadLetters, new SqliteTransientErrors(), TimeProvider.System, NullLogger<ResilientProjector>.Instance),
            progress, NullLogger<FeedProjection>.Instance);
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

    [Fact]
    public async Task Snapshots_due_after_inline_appends_are_taken_from_a_consistent_read_and_give_the_same_boards()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "snapshots.db") });
        var snapshots = new SqliteSnapshotStore(db, every: 10);
        var events = new SqliteEventStore(db, new SqliteInlineProjection(new ProjectionProgress(), NullLogger<SqliteInlineProjection>.Instance, snapshots));
        var view = new SqliteViewStore(db);
        var commands = new KanbatteCommands(events, new SqliteCounterStore(db), view, new EventualConsistency(), TimeProvider.System);

        await commands.CreateProjectAsync(new CreateProject("SP", "Snapshots", null, null), Meta);
        var times = new List<DateTimeOffset>();
        async Task WriteAsync(int from, int to)
        {
            for (var i = from; i <= to; i++)
            {
                if (i <= 15) await commands.CreateTaskAsync("SP", new CreateTask($"Task {i}", null, null), Meta);
                else await commands.ChangeTaskAsync(TaskId.Format("SP", i % 15 + 1), new ChangeTask($"Title {i}", null, Statuses.All[i % 5]), null, Meta);
                if (i % 20 == 0) times.Add(DateTimeOffset.UtcNow);
            }
        }
        async Task SnapshotsReachAsync(long count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await CountSnapshotsAsync(db) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} board snapshots were taken in the background");
                await Task.Delay(50);
            }
        }

        await WriteAsync(1, 40);
        await SnapshotsReachAsync(1);
        await WriteAsync(41, 120); // appends go on while the next snapshot is taken
        await SnapshotsReachAsync(2);

        var withSnapshots = new KanbatteQueries(view, events, snapshots);
        var fromLog = new KanbatteQueries(view, events);
        foreach (var at in times.Append(DateTimeOffset.UtcNow))
            Assert.Equal(Render(await fromLog.BoardAsOfAsync("SP", at, 100)), Render(await withSnapshots.BoardAsOfAsync("SP", at, 100)));
    }

    private static async Task<long> CountSnapshotsAsync(SqliteDatabase db)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM snapshots";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static IEnumerable<string> Render(IReadOnlyList<(string Status, int Count, IReadOnlyList<TaskState> Tasks)> board) =>
        board.Select(c => $"{c.Status}:{c.Count}:{string.Join(",", c.Tasks.Select(t => KanbatteJson.Serialize(t)))}");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
