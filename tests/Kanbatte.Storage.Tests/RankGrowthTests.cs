using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// Ranks stay within their limit however a column is used: moves to the top and the bottom keep their length, moves into
/// one gap again and again end in a rebalance, and the column is exactly in the order it was moved into throughout.
/// </summary>
public sealed class RankGrowthTests : IDisposable
{
    private static readonly EventMetadata Meta = new("rank-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-ranks-");

    [Fact]
    public async Task Ten_thousand_moves_to_each_end_and_two_thousand_into_one_gap_keep_every_rank_in_bounds_and_the_order_as_moved()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var events = new SqliteEventStore(db);
        var view = new SqliteViewStore(db);
        using var cache = new StreamStateCache();
        // The self-hosted server's write path: projected with each append, so every move sees the moves before it.
        var pipeline = new WritePipeline(events, TimeProvider.System, LoadOption.AnyCachedValue, cache,
            [new InlineProjection(new ProjectionProgress(), new ProjectNotifications(), cache, TimeProvider.System, NullLogger<InlineProjection>.Instance)], []);
        var commands = new KanbatteCommands(pipeline, new SqliteCounterStore(db), view, TimeProvider.System);
        var queries = new KanbatteQueries(view, events);

        await commands.CreateProjectAsync(new CreateProject("RK", "Ranks", null, null), Meta);
        var order = new List<string>();
        for (var i = 0; i < 20; i++) order.Add((await commands.CreateTaskAsync("RK", new CreateTask($"Task {i}", null, null), Meta)).Id);
        var longest = 0;

        async Task MoveAsync(string id, string? before, string? after)
        {
            var moved = await commands.MoveTaskAsync(id, null, before, after, null, Meta);
            longest = Math.Max(longest, moved.Rank.Length);
            order.Remove(id);
            order.Insert(before is not null ? order.IndexOf(before) : order.IndexOf(after!) + 1, id);
        }

        async Task AssertColumnAsync(string phase)
        {
            var board = await queries.BoardAsync("RK", 100);
            Assert.True(order.SequenceEqual(board[0].Tasks.Select(d => KanbatteJson.Deserialize<TaskState>(d.Json).Id)), $"column order after {phase}");
        }

        // To the top: each time the bottom task goes above the first.
        for (var i = 0; i < 10_000; i++) await MoveAsync(order[^1], before: order[0], after: null);
        await AssertColumnAsync("moves to the top");
        Assert.True(longest <= Ranks.IntegerDigits, $"moves to the top made a rank of {longest} characters");

        // To the bottom: each time the first task goes below the last.
        for (var i = 0; i < 10_000; i++) await MoveAsync(order[0], before: null, after: order[^1]);
        await AssertColumnAsync("moves to the bottom");
        Assert.True(longest <= Ranks.IntegerDigits, $"moves to the bottom made a rank of {longest} characters");

        // Into one gap: each time a task goes right after the first, above the one placed there just before.
        var versionsBefore = await VersionsAsync(view, order);
        for (var i = 0; i < 2_000; i++)
        {
            await MoveAsync(order[^1], before: null, after: order[0]);
            if (i % 250 == 0) await AssertColumnAsync($"{i + 1} moves into one gap");
        }
        await AssertColumnAsync("moves into one gap");
        Assert.InRange(longest, Ranks.IntegerDigits + 1, Ranks.MaxLength);

        // The gap ran out of room more than once: each time the column was rebalanced through ordinary task_moved events,
        // so even the first task, never moved in this phase, has new versions.
        var first = StreamIds.Task(order[0]);
        var rebalances = (await events.ReadStreamAsync(first, versionsBefore[order[0]] + 1)).Count(e => e.Type == EventTypes.TaskMoved);
        Assert.InRange(rebalances, 2, 10);

        // Every rank ever written is within the limit.
        var log = await events.ReadAllAsync(0, int.MaxValue);
        var ranks = log.Select(EventCodec.Decode).Select(e => e switch { TaskMoved m => m.Rank, TaskCreated c => c.Rank, _ => null }).OfType<string>().ToList();
        Assert.Equal(20 + 22_000 + rebalances * 19, ranks.Count);
        Assert.All(ranks, r => Assert.True(r.Length <= Ranks.MaxLength && Ranks.IsValid(r) || r.Length == Ranks.IntegerDigits, r));
    }

    private static async Task<Dictionary<string, int>> VersionsAsync(SqliteViewStore view, IEnumerable<string> ids)
    {
        var versions = new Dictionary<string, int>();
        foreach (var id in ids) versions[id] = (await view.GetAsync("RK", "task:" + id))!.Version;
        return versions;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
