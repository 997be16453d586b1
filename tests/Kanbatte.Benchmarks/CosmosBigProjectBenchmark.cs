using System.Diagnostics;
using System.Globalization;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Testing.RoundTrips;
using Kanbatte.Tests.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Benchmarks;

/// <summary>
/// The Cosmos DB store on the Cosmos-protocol test server (in memory, 1-2 ms a request): as large a project as it takes
/// in the given minutes, written by 8 writers through the commands, each write projected right after it as the
/// change-feed function would (projector, the project log's copy, board snapshots when due), next to a project of 200
/// tasks and 2,000 events. Then, in process through the queries and the changes feed (the test server has no change feed
/// for the server host to project from), the same reads as on SQLite, with the requests each sent and how many of them were
/// queries across partitions (none may be).
/// </summary>
public static class CosmosBigProjectBenchmark
{
    private const string Big = "CBIG";
    private const string Small = "CSMALL";
    private const int Tries = 9;
    private const int Writers = 8;
    private static readonly Caller Owner = new(TestTokens.DefaultUserId, TestTokens.DefaultUserName, Admin: false);
    private static readonly string[] Users = [TestTokens.DefaultUserId, "ann", "bo", "chen", "dana"];

    /// <param name="args">[minutes] for the large project (10 by default).</param>
    public static async Task RunAsync(string[] args)
    {
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var server = await CosmosTestServer.InstanceAsync();
        var database = CosmosTestServer.NewDatabaseName();
        var requests = new RoundTripCounter();
        var crossPartition = new RoundTripCounter();
        var clientOptions = new CosmosClientOptions();
        clientOptions.CustomHandlers.Add(new CosmosRequestCounter(requests, crossPartition));
        using var client = new CosmosClient(server.ConnectionString, CosmosTestServer.ConfigureClient(clientOptions));
        try
        {
            var containers = new CosmosContainers(client, new CosmosOptions { Database = database });
            await containers.CreateIfNotExistsAsync();
            var events = new CosmosEventStore(containers);
            var view = new CosmosViewStore(containers);
            var journal = new CosmosChangeJournal(containers, new ChangesOptions(), TimeProvider.System);
            var projectLog = new CosmosProjectLog(containers);
            var snapshots = new CosmosSnapshotStore(projectLog, CosmosSnapshotStore.DefaultEvery, CosmosSnapshotStore.DefaultSafetyLag, TimeProvider.System);
            var projector = new ResilientProjector(new Projector(view, events, journal), new CosmosDeadLetterStore(containers), new CosmosTransientErrors(),
                TimeProvider.System, NullLogger<ResilientProjector>.Instance);
            var projection = new ProjectRightAfter(projector, projectLog, snapshots);
            var pipeline = new WritePipeline(events, TimeProvider.System, LoadOption.RequireLoad, new StreamStateCache(), [], [projection]);
            var commands = new KanbatteCommands(pipeline, new CosmosCounterStore(containers), view, TimeProvider.System);
            var queries = new KanbatteQueries(view, events, snapshots);
            var changes = new ChangesFeed(view, journal, new ChangesOptions(), TimeProvider.System);

            var small = await GenerateAsync(commands, Small, TimeSpan.MaxValue, maxEvents: 2_000, maxTasks: 200);
            var big = await GenerateAsync(commands, Big, TimeSpan.FromMinutes(minutes), maxEvents: long.MaxValue, maxTasks: int.MaxValue);
            Console.WriteLine($"### Cosmos DB store on the Cosmos-protocol test server: a project of {big.Tasks:N0} tasks and {big.Events:N0} events " +
                $"(what {minutes:0.#} minutes of {Writers} writers made, {big.Events / big.Elapsed.TotalSeconds:N0} events/s, each projected after its write), next to one of {small.Tasks:N0} tasks and {small.Events:N0} events");
            Console.WriteLine();
            Console.WriteLine("| read (in process) | small project: median ms, requests | large project: median ms, requests | ratio of medians | queries across partitions |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            async Task Compare(string what, Func<string, int, Task> read)
            {
                var times = new Dictionary<string, List<double>> { [Small] = [], [Big] = [] };
                var sent = new Dictionary<string, int>();
                var crossed = 0;
                for (var i = -1; i < Tries; i++)
                    foreach (var key in new[] { Small, Big })
                    {
                        requests.Reset();
                        crossPartition.Reset();
                        var clock = Stopwatch.StartNew();
                        await read(key, key == Big ? 1 : 0);
                        clock.Stop();
                        if (i < 0) continue;
                        times[key].Add(clock.Elapsed.TotalMilliseconds);
                        sent[key] = requests.Total;
                        crossed += crossPartition.Total;
                    }
                double Median(string k) => times[k].Order().ElementAt(times[k].Count / 2);
                Console.WriteLine($"| {what} | {Median(Small):F1}, {sent[Small]} | {Median(Big):F1}, {sent[Big]} | {Median(Big) / Median(Small):F1} | {crossed} |");
            }
            await Compare("first board page (50 a column)", (k, _) => queries.BoardAsync(k, 50));
            await Compare("filtered list page (in_progress, high, 50)", (k, _) =>
                queries.ListTasksAsync(new TaskListQuery(k, [Statuses.InProgress], 0, 50) { Priorities = [Priorities.High] }));
            await Compare("activity page (50)", (k, _) => queries.ActivityAsync(k, null, 50));
            var cursors = new Dictionary<string, ChangesCursor>();
            foreach (var key in new[] { Small, Big })
            {
                cursors[key] = new ChangesCursor(key, await journal.EpochAsync(), await journal.HeadAsync(key), 0, Listing: false, ListedThrough: null, ChangesCursor.Hour(DateTimeOffset.UtcNow));
                var meta = new EventMetadata("cosmos-big-benchmark");
                for (var i = 0; i < 100; i++)
                    await commands.ChangeTaskAsync(Owner, TaskId.Format(key, 1 + i % 50), () => (new ChangeTask($"After the mark {i}", null, null), null), meta);
            }
            await Compare("changes pull from a cursor 100 changes back", (k, _) => changes.PullAsync(k, cursors[k], 500));
            for (var m = 0; m < 5; m++)
            {
                var point = m;
                await Compare($"board asOf at {20 * (point + 1)} % of the history", (k, _) => queries.BoardAsOfAsync(k, (k == Big ? big : small).Moments[point], 50));
            }
            Console.WriteLine();
        }
        finally
        {
            await server.DeleteDatabaseAsync(database);
        }
    }

    private sealed record Generated(long Events, int Tasks, TimeSpan Elapsed, DateTimeOffset[] Moments);

    /// <summary>What the change-feed function runs for a batch, run right after each write with its events.</summary>
    private sealed class ProjectRightAfter(ResilientProjector projector, CosmosProjectLog projectLog, CosmosSnapshotStore snapshots) : IAfterCommitStep
    {
        public async Task AfterCommitAsync(IReadOnlyList<EventEnvelope> appended, long position, CancellationToken ct)
        {
            await projector.ProjectAsync(appended, ct);
            await projectLog.CopyAsync(appended, ct);
            await snapshots.CaptureAsync(appended, ct);
        }
    }

    /// <summary>A task created about every tenth event, the rest renames, status and priority changes, moves, comments.</summary>
    private static async Task<Generated> GenerateAsync(KanbatteCommands commands, string key, TimeSpan duration, long maxEvents, int maxTasks)
    {
        var meta = new EventMetadata("cosmos-big-benchmark");
        var clock = Stopwatch.StartNew();
        await commands.CreateProjectAsync(Owner, () => new CreateProject(key, $"Project {key}", null, null), meta);
        foreach (var user in Users.Skip(1)) await commands.SetMemberAsync(Owner, key, user, () => (ProjectRoles.Member, user), meta);
        long written = Users.Length;
        var created = 0;
        var timeline = new List<(long Events, DateTimeOffset At)>();
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, Writers), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (writer, _) =>
        {
            var random = new Random(writer * 31 + key.Length);
            while (true)
            {
                int number;
                bool create;
                lock (gate)
                {
                    if (written >= maxEvents || clock.Elapsed >= duration) return;
                    written++;
                    create = created < maxTasks && (created < Writers || random.Next(10) == 0);
                    number = create ? ++created : random.Next(1, created + 1);
                    if (written % 100 == 0) timeline.Add((written, DateTimeOffset.UtcNow));
                }
                try
                {
                    var id = TaskId.Format(key, number);
                    switch (create ? -1 : random.Next(100))
                    {
                        case -1:
                            await commands.CreateTaskAsync(Owner, key, () => new CreateTask($"Task {number}", "Generated.", Statuses.All[random.Next(5)], Priorities.All[random.Next(5)], Users[random.Next(Users.Length)]), meta);
                            break;
                        case < 40:
                            await commands.ChangeTaskAsync(Owner, id, () => (new ChangeTask($"Renamed {id} #{random.Next(1_000_000)}", null, null), null), meta);
                            break;
                        case < 60:
                            await commands.ChangeTaskAsync(Owner, id, () => (new ChangeTask(null, null, Statuses.All[random.Next(5)], Priorities.All[random.Next(5)]), null), meta);
                            break;
                        case < 70:
                            await commands.MoveTaskAsync(Owner, id, () => (Statuses.All[random.Next(5)], null, null, null), meta);
                            break;
                        default:
                            await commands.AddCommentAsync(Owner, id, () => new AddComment($"A remark on {id}, a sentence or two."), meta);
                            break;
                    }
                }
                catch (DomainException)
                {
                    // A change that changes nothing, or a task another writer has not finished creating: counted anyway.
                }
            }
        });
        var moments = Enumerable.Range(1, 5).Select(i =>
            timeline.Count == 0 ? DateTimeOffset.UtcNow : timeline.First(t => t.Events * 5 >= written * i || t == timeline[^1]).At).ToArray();
        return new Generated(written, created, clock.Elapsed, moments);
    }
}
