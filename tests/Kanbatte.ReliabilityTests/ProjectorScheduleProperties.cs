using FsCheck.Xunit;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kanbatte.ReliabilityTests;

/// <summary>
/// The projector under any delivery schedule FsCheck can think of: histories written through the real commands
/// into a real SQLite log, interleaved with deliveries of varying batch sizes, duplicates within a batch,
/// redeliveries of events already projected, streams reordered against each other, and crashes between the
/// view write and the checkpoint. Whatever happens, once the feed is drained the view is the fold of the log.
/// </summary>
public sealed class ProjectorScheduleProperties
{
    private const int MaxOps = 60;
    private static readonly EventMetadata Meta = new("property");
    private static readonly string[] Keys = ["PA", "PB", "PC"];

    [Property(MaxTest = 40)]
    public void The_view_equals_the_fold_of_the_log_under_any_schedule(int[] history, int[] schedule) =>
        Task.Run(() => RunAsync(history, schedule)).GetAwaiter().GetResult();

    private static async Task RunAsync(int[] history, int[] schedule)
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-schedule-");
        try
        {
            using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(folder.FullName, "k.db") });
            var events = new SqliteEventStore(db);
            var view = new SqliteViewStore(db);
            var projector = new Projector(view, events);
            var commands = new KanbatteCommands(new WritePipeline(events, TimeProvider.System), new SqliteCounterStore(db), view, TimeProvider.System);
            var tasks = new List<string>();
            var comments = new List<(string Task, string Comment)>();
            await commands.CreateProjectAsync(new CreateProject(Keys[0], "Project A", null, null), Meta);

            long checkpoint = 0; // the position of the last event the (simulated) consumer saved
            var steps = Math.Min(MaxOps, Math.Max(history.Length, schedule.Length));
            for (var i = 0; i < steps; i++)
            {
                if (i < history.Length) await WriteAsync(commands, tasks, comments, history[i]);
                if (i < schedule.Length) checkpoint = await DeliverAsync(events, projector, checkpoint, schedule[i]);
            }

            // Drain the rest of the feed in order, as the feed projection would after the last crash.
            for (var batch = await events.ReadAllAsync(checkpoint, FeedProjection.BatchSize); batch.Count > 0; batch = await events.ReadAllAsync(checkpoint, FeedProjection.BatchSize))
            {
                await projector.ProjectAsync(batch);
                checkpoint = batch[^1].Position;
            }

            var log = await LogOracle.ReadLogAsync(events);
            var actual = LogOracle.ViewRows(db.Path);
            LogOracle.AssertSame(LogOracle.Fold(log), actual, "view vs fold of the log");
            LogOracle.AssertSame(await LogOracle.RebuildAsync(events, folder.FullName), actual, "view vs rebuild");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// One command chosen by <paramref name="op"/>: projects created and changed; tasks created, changed, moved, archived
    /// and restored; comments added, edited and deleted. Every event type the projector knows is in reach.
    /// </summary>
    private static async Task WriteAsync(KanbatteCommands commands, List<string> tasks, List<(string Task, string Comment)> comments, int op)
    {
        var n = op & int.MaxValue;
        var key = Keys[n / 7 % Keys.Length];
        var task = tasks.Count == 0 ? null : tasks[n / 11 % tasks.Count];
        var comment = comments.Count == 0 ? default : comments[n / 13 % comments.Count];
        try
        {
            switch (n % 12)
            {
                case 0:
                    await commands.CreateProjectAsync(new CreateProject(key, $"Project {key}", n % 2 == 0 ? null : $"about {n}", null), Meta);
                    break;
                case 1:
                    await commands.ChangeProjectAsync(key, new ChangeProject($"Renamed {n}", n % 3 == 0 ? null : $"text {n}", null), null, Meta);
                    break;
                case 2 or 3:
                    tasks.Add((await commands.CreateTaskAsync(key, new CreateTask($"Task {n}", n % 3 == 0 ? "" : $"Description {n}", Statuses.All[n % 5]), Meta)).Id);
                    break;
                case 4 when task is not null:
                    await commands.ChangeTaskAsync(task, new ChangeTask(n % 4 == 0 ? $"Renamed {n}" : null, n % 5 == 0 ? $"Text {n}" : null, Statuses.All[n / 3 % 5]), null, Meta);
                    break;
                case 5 when task is not null:
                    var neighbour = tasks[n / 17 % tasks.Count];
                    await commands.MoveTaskAsync(task, Statuses.All[n / 5 % 5], n % 2 == 0 ? neighbour : null, n % 2 == 0 ? null : neighbour, null, Meta);
                    break;
                case 6 when task is not null:
                    await commands.ArchiveTaskAsync(task, archive: n / 2 % 2 == 0, null, Meta);
                    break;
                case 7 or 8 when task is not null:
                    comments.Add((task, (await commands.AddCommentAsync(task, new AddComment($"Comment {n}"), Meta)).Id));
                    break;
                case 9 when comment.Task is not null:
                    await commands.EditCommentAsync(comment.Task, comment.Comment, $"Edited {n}", Meta);
                    break;
                case 10 when comment.Task is not null:
                    await commands.DeleteCommentAsync(comment.Task, comment.Comment, Meta);
                    comments.Remove(comment);
                    break;
            }
        }
        catch (Exception e) when (e is ConflictException or NotFoundException or ValidationException)
        {
            // Refused as in production (a taken key, an unknown or deleted target, a move next to itself): nothing appended.
        }
    }

    /// <summary>
    /// One delivery decided by <paramref name="step"/>'s bits: a batch of 1-8 events from the checkpoint, maybe with
    /// duplicates, maybe with older events redelivered ahead of it, maybe with its streams reordered; then either the
    /// checkpoint is saved or the consumer crashes after the view write, so the same events come again.
    /// </summary>
    private static async Task<long> DeliverAsync(SqliteEventStore events, Projector projector, long checkpoint, int step)
    {
        var bits = step & int.MaxValue;
        var batch = (await events.ReadAllAsync(checkpoint, 1 + bits % 8)).ToList();
        if (batch.Count == 0) return checkpoint;

        if ((bits >> 3 & 1) == 1) batch.AddRange(batch.Where((_, i) => i % 2 == 0).ToList()); // duplicates within the batch
        if ((bits >> 4 & 1) == 1) // streams reordered against each other (each stream keeps its own order, as both feeds guarantee)
            batch = batch.GroupBy(e => e.StreamId).OrderBy(g => HashCode.Combine(g.Key, bits)).SelectMany(g => g).ToList();
        if ((bits >> 5 & 1) == 1 && checkpoint > 0) // a redelivery of events already applied (a lease lost and taken over)
            batch.InsertRange(0, await events.ReadAllAsync(Math.Max(0, checkpoint - 1 - (bits >> 6) % 6), 1 + (bits >> 6) % 6));

        await projector.ProjectAsync(batch);

        var crashed = (bits >> 9) % 3 == 0; // after the view write, before the checkpoint
        return crashed ? checkpoint : batch.Max(e => e.Position);
    }
}
