using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Benchmarks.RoundTrips;

/// <summary>One operation's exact store round trips, next to the budget it must stay within.</summary>
public sealed record RoundTripRow(string Operation, IReadOnlyDictionary<string, int> Calls, int Total, int Budget, string BudgetRule)
{
    public bool WithinBudget => Total <= Budget;
}

/// <summary>
/// Runs each operation once against a store wrapped in counting decorators, on a warm state (the project and a task exist),
/// and reports every call that reached the store. The counts are exact and machine-independent.
/// </summary>
public static class RoundTripMeter
{
    private static readonly EventMetadata Meta = new("round-trips");

    public static async Task<IReadOnlyList<RoundTripRow>> MeasureSqliteAsync()
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-roundtrips-");
        try
        {
            using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(folder.FullName, "k.db") });
            var sqliteEvents = new SqliteEventStore(db);
            var counter = new RoundTripCounter();
            var events = new CountingEventStore(sqliteEvents, sqliteEvents, counter);
            var view = new CountingViewStore(new SqliteViewStore(db), counter);
            var counters = new CountingCounterStore(new SqliteCounterStore(db), counter);
            var checkpoints = new CountingCheckpointStore(new SqliteCheckpointStore(db), counter);
            var commands = new KanbatteCommands(events, counters, view, new EventualConsistency(), TimeProvider.System);
            var queries = new KanbatteQueries(view, events);
            var projector = new Projector(view, events);
            var feed = new FeedProjection(events, checkpoints, projector, new ProjectionProgress(), NullLogger<FeedProjection>.Instance);

            // Warm state: a project with a few tasks, all projected.
            await commands.CreateProjectAsync(new CreateProject("RT", "Round trips", null, null), Meta);
            for (var i = 0; i < 3; i++) await commands.CreateTaskAsync("RT", new CreateTask($"Warm {i}", null, null), Meta);
            await feed.CatchUpAsync(CancellationToken.None);
            var rows = new List<RoundTripRow>();

            async Task<T> Measure<T>(string operation, int budget, string rule, Func<Task<T>> run)
            {
                counter.Reset();
                var result = await run();
                rows.Add(new RoundTripRow(operation, counter.Snapshot(), counter.Total, budget, rule));
                return result;
            }

            const string command = "1 stream read + 1 append";
            const string creation = "1 stream read + 1 append + 1 counter";
            await Measure("create project", 1, "1 append (a new stream needs no read)", () => commands.CreateProjectAsync(new CreateProject("RU", "Other", null, null), Meta));
            var task = await Measure("create task", 3, creation, () => commands.CreateTaskAsync("RT", new CreateTask("Measured", "text", null), Meta));
            await Measure("update task", 2, command, () => commands.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.InProgress), null, Meta));
            await Measure("update task (no change)", 1, "1 stream read, nothing appended", () => commands.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.InProgress), null, Meta));
            await Measure("add comment", 3, creation, () => commands.AddCommentAsync(task.Id, new AddComment("Measured comment", null), Meta));

            // Each event projected on its own (the worst case: a batch of one), then the feed loop around a batch.
            var log = await sqliteEvents.ReadStreamAsync(StreamIds.Task(task.Id), 1);
            var project = await sqliteEvents.ReadStreamAsync(StreamIds.Project("RU"), 1);
            await Measure("project project_created", 2, "1 read + 1 write per document", () => Run(projector.ProjectAsync(project)));
            await Measure("project task_created", 2, "1 read + 1 write per document", () => Run(projector.ProjectAsync([log[0]])));
            await Measure("project task_updated", 2, "1 read + 1 write per document", () => Run(projector.ProjectAsync([log[1]])));
            await Measure("project comment_added (task + comment)", 4, "1 read + 1 write per document (2 documents)", () => Run(projector.ProjectAsync([log[2]])));
            await Measure("project a duplicate", 1, "1 read, no write", () => Run(projector.ProjectAsync([log[2]])));
            await feed.CatchUpAsync(CancellationToken.None); // the checkpoint moves past what was projected by hand above
            await commands.ChangeTaskAsync(task.Id, new ChangeTask("Renamed", null, null), null, Meta);
            await Measure("feed catch-up (1 new event)", 6, "checkpoint get + 2 feed reads + projection (2) + checkpoint save", () => feed.CatchUpAsync(CancellationToken.None));

            await Measure("get task", 1, "1 point read", () => queries.GetTaskAsync(task.Id));
            await Measure("list one page of tasks", 1, "1 query", () => queries.ListTasksAsync(new TaskListQuery("RT", [], 0, 2)));
            await Measure("list one page of comments", 1, "1 query", () => queries.ListCommentsAsync(task.Id, 0, 50));
            await Measure("task history page", 1, "1 stream read", () => queries.HistoryAsync(task.Id, 0, 50));
            return rows;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    public static string ToMarkdown(IReadOnlyList<RoundTripRow> rows)
    {
        var lines = new List<string>
        {
            "| operation | round trips | calls | budget |",
            "|---|---:|---|---|",
        };
        lines.AddRange(rows.Select(r => $"| {r.Operation} | {r.Total} | {string.Join(", ", r.Calls.Select(c => $"{c.Key} {c.Value}"))} | ≤ {r.Budget} ({r.BudgetRule}) |"));
        return string.Join(Environment.NewLine, lines);
    }

    private static async Task<bool> Run(Task task)
    {
        await task;
        return true;
    }
}
