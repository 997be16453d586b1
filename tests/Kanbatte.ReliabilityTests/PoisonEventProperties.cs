using FsCheck.Xunit;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.ReliabilityTests;

/// <summary>
/// Poison events under generated histories: while the projector cannot apply the events of some streams (the view
/// refuses to read their documents, as a bug in their projection would), those events are parked with their error and
/// every other stream is projected as usual; once fixed, a re-drive applies each parked event exactly once and the
/// view equals the fold of the log, with nothing left parked.
/// </summary>
public sealed class PoisonEventProperties
{
    private static readonly EventMetadata Meta = new("poison");

    [Property(MaxTest = 20)]
    public void Parked_events_do_not_stop_the_feed_and_a_redrive_converges_to_the_fold(int[] history, int[] poisonedTasks, byte batchSize) =>
        Task.Run(() => RunAsync(history, poisonedTasks, 1 + batchSize % 9)).GetAwaiter().GetResult();

    private static async Task RunAsync(int[] history, int[] poisonedTasks, int batchSize)
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-poison-");
        try
        {
            using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(folder.FullName, "k.db") });
            var events = new SqliteEventStore(db);
            var view = new BreakableView(new SqliteViewStore(db));
            var commands = new KanbatteCommands(new WritePipeline(events, TimeProvider.System), new SqliteCounterStore(db), view, TimeProvider.System);
            await commands.CreateProjectAsync(new CreateProject("PX", "Poison", null, null), Meta);
            var tasks = new List<string> { (await commands.CreateTaskAsync("PX", new CreateTask("First", null, null), Meta)).Id };
            foreach (var op in history.Take(40))
            {
                var n = op & int.MaxValue;
                if (n % 3 == 0) tasks.Add((await commands.CreateTaskAsync("PX", new CreateTask($"Task {n}", null, null), Meta)).Id);
                else if (n % 3 == 1) await commands.ChangeTaskAsync(tasks[n / 3 % tasks.Count], new ChangeTask($"Renamed {n}", null, Statuses.All[n % 5]), null, Meta);
                else await commands.AddCommentAsync(tasks[n / 3 % tasks.Count], new AddComment($"Comment {n}"), Meta);
            }
            foreach (var p in poisonedTasks.Take(3)) view.Broken.Add("task:" + tasks[(p & int.MaxValue) % tasks.Count]);

            var deadLetters = new SqliteDeadLetterStore(db);
            var resilient = new ResilientProjector(new Projector(view, events), deadLetters, new SqliteTransientErrors(), TimeProvider.System, NullLogger<ResilientProjector>.Instance);
            for (var batch = await events.ReadAllAsync(0, batchSize); batch.Count > 0; batch = await events.ReadAllAsync(batch[^1].Position, batchSize))
                await resilient.ProjectAsync(batch);

            // The feed went on: every stream but the broken ones is already what the log says.
            var log = await LogOracle.ReadLogAsync(events);
            var expected = LogOracle.Fold(log);
            var healthy = expected.Where(r => !view.Broken.Contains(r.Id) && !IsCommentOfBroken(r, view.Broken)).ToList();
            LogOracle.AssertSame(healthy, LogOracle.ViewRows(db.Path).Where(r => !view.Broken.Contains(r.Id) && !IsCommentOfBroken(r, view.Broken)).ToList(), "healthy streams before the re-drive");
            var parked = await deadLetters.ListAsync(1000);
            Assert.Equal(log.Count(e => view.Broken.Contains(e.StreamId)), parked.Count);
            Assert.All(parked, p => Assert.Contains(nameof(InvalidOperationException), p.Error));

            view.Broken.Clear(); // the fix
            var (result, _) = await resilient.RedriveAsync();

            Assert.Equal((parked.Count, 0), (result.Applied, result.StillFailing));
            Assert.Empty(await deadLetters.ListAsync(1000));
            LogOracle.AssertSame(expected, LogOracle.ViewRows(db.Path), "view vs fold of the log after the re-drive");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static bool IsCommentOfBroken(ViewRow row, HashSet<string> broken) =>
        row.Kind == ViewKeys.CommentKind && broken.Any(b => row.Json.Contains($"\"taskId\":\"{b["task:".Length..]}\"", StringComparison.Ordinal));

    /// <summary>The real view store, except that reading a broken stream's document throws, as a projection bug would.</summary>
    internal sealed class BreakableView(IViewStore inner) : IViewStore
    {
        public HashSet<string> Broken { get; } = new(StringComparer.Ordinal);

        public Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default) =>
            Broken.Contains(id) ? throw new InvalidOperationException($"Cannot project {id}.") : inner.GetAsync(partition, id, ct);

        public Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default) => inner.WriteAsync(changes, ct);
        public Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default) => inner.ListProjectsAsync(afterKey, limit, ct);
        public Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default) => inner.ListTasksAsync(query, ct);
        public Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default) => inner.CountTasksByStatusAsync(projectKey, ct);
        public Task<IReadOnlyList<ViewDocument>> ListFollowupsAsync(string projectKey, string? taskId, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default) => inner.ListFollowupsAsync(projectKey, taskId, statuses, afterNumber, limit, ct);
        public Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default) => inner.ListCommentsAsync(projectKey, taskId, afterNumber, limit, ct);
        public Task<IReadOnlyList<ViewDocument>> ListByIdAsync(string partition, IReadOnlyList<string> kinds, string? afterId, int limit, CancellationToken ct = default) => inner.ListByIdAsync(partition, kinds, afterId, limit, ct);
        public Task FenceProjectAsync(string projectKey, CancellationToken ct = default) => inner.FenceProjectAsync(projectKey, ct);
    }
}
