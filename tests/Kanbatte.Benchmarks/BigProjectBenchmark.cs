using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Server;
using Kanbatte.Storage.Sqlite;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Benchmarks;

/// <summary>
/// A project of 100,000 tasks and 1,000,000 events on SQLite, written through the server's own write path (the same
/// registrations: commands, pipeline, inline projection, changes journal; board snapshots taken as the server's
/// SnapshotService takes them), then read through the real server process: the first board page, a filtered list page,
/// a changes pull from a recent cursor, the activity page and the board as of five moments. The baseline of each figure is
/// the same request on a project of 1,000 tasks and 10,000 events in the same database and server, in the same run.
/// Then creates and updates under wrk on both projects at three loads, with the server's resident memory sampled
/// throughout, and the same loads on the plain-CRUD baseline in the same run.
/// </summary>
public static class BigProjectBenchmark
{
    private const string Big = "BIG";
    private const string Small = "SMALL";
    private const int Tries = 15;
    private const int Writers = 32;
    private static readonly string[] Users = [TestTokens.DefaultUserId, "ann", "bo", "chen", "dana"];
    private static readonly string[] Labels = ["backend", "frontend", "infra", "bug", "docs", "research"];
    private static readonly Caller Owner = new(TestTokens.DefaultUserId, TestTokens.DefaultUserName, Admin: false);

    /// <param name="args">[tasks] [events] (100000 1000000 by default; the small project is always 1,000 and 10,000).</param>
    public static async Task RunAsync(string[] args)
    {
        var tasks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var folder = Directory.CreateTempSubdirectory("kanbatte-big-bench-");
        var path = Path.Combine(folder.FullName, "k.db");
        try
        {
            Console.WriteLine($"### A project of {tasks:N0} tasks and {events:N0} events on SQLite, next to one of 1,000 tasks and 10,000 events");
            Console.WriteLine();
            var small = await GenerateAsync(path, Small, 1_000, 10_000);
            var big = await GenerateAsync(path, Big, tasks, events);
            Console.WriteLine($"Written through the server's write path ({Writers} concurrent writers, in process): {big.Events:N0} events in {big.Elapsed.TotalSeconds:F0} s, " +
                $"{big.Events / big.Elapsed.TotalSeconds:N0} events/s; database and WAL {Size(path):N0} MiB, board snapshots {Size(path + "-snapshots"):N0} MiB.");
            Console.WriteLine();

            await using var server = await ChildProcess.StartAsync(ChildProcess.ServerDll, [$"--Kanbatte:Sqlite:Path={path}", .. TestTokens.CommandLine]);
            Console.WriteLine("| request | 1,000-task project: median / p95 ms | large project: median / p95 ms | ratio of medians |");
            Console.WriteLine("|---|---:|---:|---:|");
            await CompareAsync(server.Client, "first board page (`GET /board`, 50 a column)", k => $"api/projects/{k}/board");
            await CompareAsync(server.Client, "filtered list page (`status=in_progress&priority=high`, 50)", k => $"api/projects/{k}/tasks?status=in_progress&priority=high&limit=50");
            await CompareAsync(server.Client, "activity page (`GET /activity`, 50)", k => $"api/projects/{k}/activity?limit=50");
            var cursors = new Dictionary<string, string>
            {
                [Small] = await RecentCursorAsync(server, Small),
                [Big] = await RecentCursorAsync(server, Big),
            };
            await CompareAsync(server.Client, "changes pull from a cursor 100 changes back", k => $"api/projects/{k}/changes?since={Uri.EscapeDataString(cursors[k])}");
            for (var i = 0; i < 5; i++)
            {
                var (s, b) = (small.Moments[i], big.Moments[i]);
                await CompareAsync(server.Client, $"`board?asOf=` at {20 * (i + 1)} % of the history",
                    k => $"api/projects/{k}/board?asOf={Uri.EscapeDataString(KanbatteJson.Format(k == Big ? b : s))}");
            }
            Console.WriteLine();
            await WriteLoadAsync(server, folder.FullName);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private sealed record Generated(long Events, TimeSpan Elapsed, DateTimeOffset[] Moments);

    /// <summary>
    /// The project, its members, <paramref name="tasks"/> creations, then changes until <paramref name="events"/>: renames,
    /// status, priority, assignee and label changes, moves, comments and followups on tasks picked at random, by 32
    /// writers at once, with the server's background services beside them (snapshots every 2 s, WAL checkpoints, planner statistics). Returns the moments at 20, 40 ... 100 %.
    /// </summary>
    private static async Task<Generated> GenerateAsync(string path, string key, int tasks, int events)
    {
        // The server's own registrations (Program.cs), built but not started: the hosted services stay off.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [$"--Kanbatte:Sqlite:Path={path}"] });
        builder.Logging.ClearProviders();
        builder.Services.AddKanbatteApi(builder.Configuration);
        builder.Services.AddKanbattePush();
        builder.Services.AddSqliteStore(builder.Configuration);
        builder.AddKanbatteTelemetry();
        await using var provider = builder.Build();
        var services = provider.Services;
        var commands = services.GetRequiredService<KanbatteCommands>();
        var snapshots = services.GetRequiredService<SqliteSnapshotStore>();
        var meta = new EventMetadata("big-project-benchmark", Actor: new Actor(Owner.Id, Owner.Name));

        var clock = Stopwatch.StartNew();
        await commands.CreateProjectAsync(Owner, () => new CreateProject(key, $"Project {key}", "Generated for the big-project benchmark.", null), meta);
        foreach (var user in Users.Skip(1))
            await commands.SetMemberAsync(Owner, key, user, () => (ProjectRoles.Member, user), meta);
        long written = 1 + Users.Length - 1;
        var created = 0;
        var moments = new DateTimeOffset[5];
        var nextMoment = 0;
        // The server's own background work beside the writers: board snapshots, stream snapshots and WAL checkpoints.
        var background = services.GetServices<IHostedService>()
            .Where(s => s is SnapshotService or StreamSnapshotService or WalCheckpointService).ToList();
        foreach (var service in background) await service.StartAsync(CancellationToken.None);
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, Writers), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (writer, _) =>
        {
            var random = new Random(writer * 7919 + key.Length);
            while (true)
            {
                int number;
                bool create;
                lock (gate)
                {
                    if (written >= events) return;
                    written++;
                    create = created < tasks && (created < 8 || random.Next(events - tasks) < tasks || written > events - (tasks - created));
                    number = create ? ++created : random.Next(1, Math.Max(2, created + 1));
                    if (nextMoment < 5 && written * 5 >= (long)events * (nextMoment + 1)) moments[nextMoment++] = DateTimeOffset.UtcNow;
                }
                try
                {
                    if (create) await CreateAsync(commands, key, number, random, meta);
                    else await ChangeAsync(commands, TaskId.Format(key, number), random, meta);
                }
                catch (DomainException)
                {
                    // A change that changes nothing (the same status twice) or a task not created yet by another writer: counted anyway.
                }
            }
        });
        foreach (var service in background) await service.StopAsync(CancellationToken.None);
        await snapshots.CaptureAsync();
        for (var i = nextMoment; i < 5; i++) moments[i] = DateTimeOffset.UtcNow;
        return new Generated(written, clock.Elapsed, moments);
    }

    private static Task CreateAsync(KanbatteCommands commands, string key, int number, Random random, EventMetadata meta) =>
        commands.CreateTaskAsync(Owner, key, () => new CreateTask(
            $"Task {number}: {Pick(random, ["migrate", "design", "measure", "fix", "document", "review"])} the {Pick(random, ["importer", "board", "search", "login", "export", "cache"])}",
            "Generated. " + string.Concat(Enumerable.Repeat("Find out what is needed, agree on it, do it, check it. ", random.Next(1, 4))),
            Pick(random, Statuses.All), Pick(random, Priorities.All), Pick(random, Users),
            [Pick(random, Labels)], DateOnly.FromDateTime(DateTime.UtcNow).AddDays(random.Next(1, 90))), meta);

    private static async Task ChangeAsync(KanbatteCommands commands, string id, Random random, EventMetadata meta)
    {
        switch (random.Next(100))
        {
            case < 30:
                await commands.ChangeTaskAsync(Owner, id, () => (new ChangeTask($"Renamed {id} #{random.Next(1_000_000)}", null, null), null), meta);
                break;
            case < 45:
                await commands.ChangeTaskAsync(Owner, id, () => (new ChangeTask(null, null, Pick(random, Statuses.All), Pick(random, Priorities.All)), null), meta);
                break;
            case < 55:
                await commands.ChangeTaskAsync(Owner, id, () => (new ChangeTask(null, null, null, Assignee: Pick(random, Users), Labels: [Pick(random, Labels), Pick(random, Labels)]), null), meta);
                break;
            case < 65:
                await commands.MoveTaskAsync(Owner, id, () => (Pick(random, Statuses.All), null, null, null), meta);
                break;
            case < 95:
                await commands.AddCommentAsync(Owner, id, () => new AddComment($"A remark on {id}: {random.Next(1_000_000)}, as people write them, a sentence or two."), meta);
                break;
            default:
                await commands.AddFollowupAsync(Owner, id, () => new AddFollowup($"Come back to {id} about {random.Next(1000)}"), meta);
                break;
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Two warm-ups, then <see cref="Tries"/> timed requests per project, alternating, each must be 200.</summary>
    private static async Task CompareAsync(HttpClient client, string what, Func<string, string> url)
    {
        var times = new Dictionary<string, List<double>> { [Small] = [], [Big] = [] };
        for (var i = -2; i < Tries; i++)
            foreach (var key in new[] { Small, Big })
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync(url(key));
                await response.Content.ReadAsByteArrayAsync();
                clock.Stop();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url(key)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (i >= 0) times[key].Add(clock.Elapsed.TotalMilliseconds);
            }
        var (s, b) = (times[Small].Order().ToList(), times[Big].Order().ToList());
        Console.WriteLine($"| {what} | {Percentile(s, 0.5):F1} / {Percentile(s, 0.95):F1} | {Percentile(b, 0.5):F1} / {Percentile(b, 0.95):F1} | {Percentile(b, 0.5) / Percentile(s, 0.5):F1} |");
    }

    /// <summary>A cursor as a client holds one: from the push message after a write, then 100 more changes made after it.</summary>
    private static async Task<string> RecentCursorAsync(ChildProcess server, string key)
    {
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "api/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestTokens.Default))
            .Build();
        hub.On<JsonElement>("changed", message =>
        {
            if (message.GetProperty("projectKey").GetString() == key) heard.TrySetResult(message.GetProperty("cursor").GetString()!);
        });
        await hub.StartAsync();
        (await server.Client.PatchJsonAsync($"api/tasks/{TaskId.Format(key, 1)}", new { title = "Cursor mark" })).EnsureSuccessStatusCode();
        var cursor = await heard.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 100; i++)
            (await server.Client.PatchJsonAsync($"api/tasks/{TaskId.Format(key, 2 + i % 50)}", new { title = $"After the mark {i}" })).EnsureSuccessStatusCode();
        return cursor;
    }

    /// <summary>A paced connection's pause between an answer and its next request.</summary>
    private const int ThinkMs = 10;

    /// <summary>
    /// The write loads, each 20 s of wrk. Saturated: 32 connections, each sending its next request on the answer, so a
    /// request's latency is mostly its wait behind the others. Paced: the same connections pausing <see cref="ThinkMs"/>
    /// after each answer, about half the rate the server sustains. Light: 4 paced connections, a few hundred writes a
    /// second (still far more than a team makes), where a request seldom queues and its p99 shows the server's stalls.
    /// </summary>
    private static readonly (string Name, int Connections, bool Paced)[] Loads = [("saturated", 32, false), ("paced", 32, true), ("light", 4, true)];

    /// <summary>
    /// wrk creates and updates on each project at each of the <see cref="Loads"/>, the server's resident memory sampled
    /// every 500 ms; then the same loads on the plain-CRUD baseline, started for them, so each p99 / p50 has the ratio an
    /// ordinary app shows under the same load on the same machine beside it.
    /// </summary>
    private static async Task WriteLoadAsync(ChildProcess server, string folder)
    {
        var scripts = new Dictionary<string, string>();
        async Task AddAsync(string name, string request)
        {
            var script = $$"""
                local threads = 0
                function setup(thread) thread:set("tid", threads); threads = threads + 1 end
                local counter = 0
                function request()
                  counter = counter + 1
                {{request}}
                end
                """;
            foreach (var (load, _, paced) in Loads)
            {
                var path = Path.Combine(folder, $"{load}-{name.Replace(' ', '-')}.lua");
                // The paced loads: wrk waits delay() ms after each answer before the connection's next request.
                await File.WriteAllTextAsync(path, paced ? script + $"\nfunction delay() return {ThinkMs} end\n" : script);
                scripts[$"{load} {name}"] = path;
            }
        }
        var headers = $"{{ [\"Authorization\"] = \"Bearer {TestTokens.Default}\", [\"Content-Type\"] = \"application/json\" }}";
        var create = $$"""
              local body = string.format('{"title":"Load task %d-%d","description":"Created under load by wrk."}', tid, counter)
              return wrk.format("POST", nil, {{headers}}, body)
            """;
        // Tasks 1-900 of each project (ids zero-padded to three digits, BIG-001); the baseline's items 1-900 likewise.
        string Update(string pattern) => $$"""
              local id = (counter * 7919 + tid * 104729) % 900 + 1
              local body = string.format('{"title":"Renamed %d-%d"}', tid, counter)
              return wrk.format("PATCH", wrk.path .. string.format("{{pattern}}", id), {{headers}}, body)
            """;
        foreach (var key in new[] { Small, Big })
        {
            await AddAsync($"create {key}", create);
            await AddAsync($"update {key}", Update("%03d"));
        }
        await AddAsync("create baseline", create);
        await AddAsync("update baseline", Update("%d"));

        var samples = new List<(double Seconds, double MiB)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (ResidentMiB(server.Pid) is { } mib) lock (samples) samples.Add((clock.Elapsed.TotalSeconds, mib));
                try { await Task.Delay(500, stop.Token); } catch (OperationCanceledException) { break; }
            }
        });
        Console.WriteLine($"| load (wrk, 20 s; paced: {ThinkMs} ms between an answer and the next request on each connection) | connections | req/s | p50 ms | p99 ms | p99 / p50 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        async Task RoundAsync(string round, string url)
        {
            var connections = Loads.Single(l => round.StartsWith(l.Name + " ", StringComparison.Ordinal)).Connections;
            var result = await HttpBenchmark.WrkAsync(scripts[round], url, 20, connections);
            Console.WriteLine($"| {round} | {connections} | {result.RequestsPerSecond:N0} | {result.P50Ms:F2} | {result.P99Ms:F2} | {result.P99Ms / result.P50Ms:F1} |");
        }
        foreach (var round in new[] { "create SMALL", "create BIG", "update SMALL", "update BIG", "create BIG", "update BIG" }
                     .Select(r => "saturated " + r)
                     .Concat(Loads.Skip(1).SelectMany(l => new[] { "create SMALL", "create BIG", "update SMALL", "update BIG" }.Select(r => $"{l.Name} {r}"))))
        {
            var key = round.Split(' ')[^1];
            await RoundAsync(round, round.Contains("create", StringComparison.Ordinal) ? $"{server.BaseAddress}api/projects/{key}/tasks" : $"{server.BaseAddress}api/tasks/{key}-");
        }
        stop.Cancel();
        await sampling;
        var loadSeconds = clock.Elapsed.TotalSeconds;

        // The baseline: the same token validated, 1,000 items to update, a warm-up, then the same loads.
        await using (var baseline = await ChildProcess.StartAsync(ChildProcess.BenchmarkDll, "baseline-server", $"--path={Path.Combine(folder, "baseline.db")}"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                (await baseline.Client.PostAsJsonAsync("api/items", new { title = $"Seeded item {i}", description = "To be updated." }, ct)).EnsureSuccessStatusCode());
            await HttpBenchmark.WrkAsync(scripts["saturated create baseline"], $"{baseline.BaseAddress}api/items", 10);
            foreach (var (load, _, _) in Loads)
            {
                await RoundAsync($"{load} create baseline", $"{baseline.BaseAddress}api/items");
                await RoundAsync($"{load} update baseline", $"{baseline.BaseAddress}api/items/");
            }
        }
        Console.WriteLine();
        var mibs = samples.Select(s => s.MiB).ToList();
        var tenth = Math.Max(1, samples.Count / 10);
        Console.WriteLine($"Kanbatte's resident memory over its {loadSeconds:F0} s of write load ({samples.Count} samples): first 10 % of the run median {Median(mibs.Take(tenth)):F0} MiB, " +
            $"last 10 % median {Median(mibs.TakeLast(tenth)):F0} MiB, max {mibs.Max():F0} MiB.");
    }

    private static double Size(string database) =>
        new[] { database, database + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1048576.0;

    private static double? ResidentMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { return null; }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
