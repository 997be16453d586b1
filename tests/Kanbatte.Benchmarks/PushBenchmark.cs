using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Benchmarks;

/// <summary>
/// Push latency (issue 11): from a write's 2xx to the <c>changed</c> message about it at a connected client, with 20
/// writers, each a user of its own writing to a project of its own and listening on a hub connection of its own.
/// Kanbatte's real server next to the bare SignalR baseline (<see cref="PushBaselineApp"/>), measured in the same run.
/// A message covers every journal entry up to the <c>s</c> of its cursor, so a write's latency is the first arrival of
/// a message with <c>s</c> at or past the write's own entry, minus the write's 2xx.
/// </summary>
public static class PushBenchmark
{
    private const int Writers = 20;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <param name="Count">Writes whose message came: the latencies' count.</param>
    /// <param name="Missing">Writes no message covered within <see cref="Grace"/> after the run: not in the percentiles.</param>
    /// <param name="Errors">Writes answered with something other than a 2xx.</param>
    /// <param name="Extra">Journal entries that told no newer version of the writer's task than an entry before them (Kanbatte only).</param>
    public sealed record Result(int Count, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double WritesPerSecond,
        double HttpP50Ms, double HttpP99Ms, int Missing, int Errors, int Extra);

    /// <param name="args">[seconds] [rounds]</param>
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
        // Rounds alternate baseline and Kanbatte, so a noisy neighbour hits both sides; the summary takes medians.
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var folder = Directory.CreateTempSubdirectory("kanbatte-push-bench-");
        var database = Path.Combine(folder.FullName, "kanbatte.db");
        var results = new List<(int Round, Result Baseline, Result Kanbatte)>();
        var baselineWriters = new List<Writer>();
        var kanbatteWriters = new List<Writer>();
        try
        {
            await using var baseline = await ChildProcess.StartAsync(ChildProcess.BenchmarkDll, "push-baseline-server");
            await using var kanbatte = await ChildProcess.StartAsync(ChildProcess.ServerDll, [$"--Kanbatte:Sqlite:Path={database}", .. TestTokens.CommandLine]);
            for (var i = 0; i < Writers; i++)
            {
                baselineWriters.Add(await Writer.BaselineAsync(baseline, i));
                kanbatteWriters.Add(await Writer.KanbatteAsync(kanbatte, database, i));
            }

            // JIT, connection pools, SQLite page cache: not reported.
            await MeasureAsync(baselineWriters, WarmUp);
            await MeasureAsync(kanbatteWriters, WarmUp);
            for (var round = 1; round <= rounds; round++)
            {
                var b = await MeasureAsync(baselineWriters, TimeSpan.FromSeconds(seconds));
                var k = await MeasureAsync(kanbatteWriters, TimeSpan.FromSeconds(seconds));
                results.Add((round, b, k));
            }
        }
        finally
        {
            foreach (var writer in baselineWriters.Concat(kanbatteWriters)) await writer.DisposeAsync();
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }

        Console.WriteLine($"### Push latency (write 2xx -> `changed` at the writer's hub connection, {Writers} writers, {seconds} s per run, {rounds} rounds, server and clients on the same {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| round | server | writes | writes/s | p50 ms | p90 ms | p99 ms | max ms | write HTTP p50 / p99 ms | missing | errors | extra entries |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (round, b, k) in results)
        foreach (var (name, r) in new[] { ("baseline", b), ("Kanbatte", k) })
            Console.WriteLine($"| {round} | {name} | {r.Count:N0} | {r.WritesPerSecond:N0} | {r.P50Ms:F2} | {r.P90Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F2} | " +
                $"{r.HttpP50Ms:F2} / {r.HttpP99Ms:F2} | {r.Missing} | {r.Errors} | {r.Extra} |");
        Console.WriteLine();
        Console.WriteLine("| round | Kanbatte p50 / baseline p50 | Kanbatte p99 / baseline p99 |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (var (round, b, k) in results)
            Console.WriteLine($"| {round} | {Ratio(k.P50Ms, b.P50Ms)} | {Ratio(k.P99Ms, b.P99Ms)} |");
        Console.WriteLine();
        Console.WriteLine("| median of the rounds | p50 ms | p90 ms | p99 ms | max ms | writes/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, side) in new[] { ("baseline", results.Select(r => r.Baseline).ToList()), ("Kanbatte", results.Select(r => r.Kanbatte).ToList()) })
            Console.WriteLine($"| {name} | {Median(side, r => r.P50Ms):F2} | {Median(side, r => r.P90Ms):F2} | {Median(side, r => r.P99Ms):F2} | " +
                $"{Median(side, r => r.MaxMs):F2} | {Median(side, r => r.WritesPerSecond):N0} |");
        Console.WriteLine($"| ratio (median of the rounds' ratios) | {Median(results, r => r.Kanbatte.P50Ms / r.Baseline.P50Ms):F1} | | " +
            $"{Median(results, r => r.Kanbatte.P99Ms / r.Baseline.P99Ms):F1} | | |");
        var kanbatteP99 = Median(results, r => r.Kanbatte.P99Ms);
        Console.WriteLine();
        Console.WriteLine($"Target: Kanbatte p99 < 250 ms with {Writers} writers. Median of the rounds: {kanbatteP99:F2} ms, " +
            $"{(kanbatteP99 < 250 ? "met" : "NOT met")}; rounds: {string.Join(", ", results.Select(r => r.Kanbatte.P99Ms.ToString("F2", CultureInfo.InvariantCulture)))} ms.");
    }

    private static string Ratio(double kanbatte, double baseline) => baseline > 0 ? (kanbatte / baseline).ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private static double Median<T>(IReadOnlyCollection<T> items, Func<T, double> value) =>
        Percentile(items.Select(value).Order().ToList(), 0.5);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];

    /// <summary>
    /// Every writer loops for <paramref name="duration"/>; then each write is matched with its journal entry, and once
    /// the messages have come (or <see cref="Grace"/> has passed) its latency is taken.
    /// </summary>
    private static async Task<Result> MeasureAsync(IReadOnlyList<Writer> writers, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var runs = await Task.WhenAll(writers.Select(w => w.RunAsync(duration)));
        var elapsed = clock.Elapsed;
        var entries = new List<long[]>();
        var extra = 0;
        foreach (var (writer, run) in writers.Zip(runs))
        {
            var (seqs, retold) = await writer.EntriesOfAsync(run.Writes.Select(w => w.Key).ToList());
            entries.Add(seqs);
            extra += retold;
        }
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Grace && writers.Zip(entries).Any(p => p.Second.Length > 0 && p.First.HighestHeard < p.Second[^1]))
            await Task.Delay(20);

        var latencies = new List<double>();
        var http = new List<double>();
        var missing = 0;
        foreach (var ((writer, run), seqOfWrite) in writers.Zip(runs).Zip(entries))
        {
            var (heard, times) = writer.Arrivals();
            foreach (var (write, seq) in run.Writes.Zip(seqOfWrite))
            {
                http.Add(Stopwatch.GetElapsedTime(write.Sent, write.Acknowledged).TotalMilliseconds);
                // heard holds the highest entry heard so far at each arrival: ascending, so the first covering one is a binary search.
                var index = heard.BinarySearch(seq);
                if (index < 0) index = ~index;
                else while (index > 0 && heard[index - 1] >= seq) index--;
                if (index == heard.Count) { missing++; continue; }
                // A message read before the 2xx was (both race to the client) counts as no wait at all.
                latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(write.Acknowledged, times[index]).TotalMilliseconds));
            }
        }
        latencies.Sort();
        http.Sort();
        var count = runs.Sum(r => r.Writes.Count);
        return new Result(latencies.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.9), Percentile(latencies, 0.99),
            latencies.Count == 0 ? double.NaN : latencies[^1], count / elapsed.TotalSeconds, Percentile(http, 0.5), Percentile(http, 0.99),
            missing, runs.Sum(r => r.Errors), extra);
    }

    /// <param name="Key">What identifies the write's journal entry: Kanbatte's task version after it, the baseline's entry number.</param>
    private sealed record Write(long Key, long Sent, long Acknowledged);

    private sealed record Run(List<Write> Writes, int Errors);

    /// <summary>One user: an HTTP client, a hub connection, and what that connection heard, in arrival order.</summary>
    private sealed class Writer : IAsyncDisposable
    {
        private static readonly string[] Statuses = ["ready", "in_progress", "review", "done", "todo"];
        private readonly HttpClient _http;
        private readonly HubConnection _hub;
        private readonly Func<long, Task<HttpResponseMessage>> _write;
        private readonly Func<HttpResponseMessage, long, Task<long>> _keyOf;
        private readonly Func<IReadOnlyList<long>, Task<(long[], int)>> _entriesOf;
        private readonly List<long> _heardSeqs = [];
        private readonly List<long> _heardAt = [];
        private long _writes;

        private Writer(HttpClient http, HubConnection hub, Func<Writer, long, Task<HttpResponseMessage>> write,
            Func<HttpResponseMessage, long, Task<long>> keyOf, Func<IReadOnlyList<long>, Task<(long[], int)>> entriesOf)
        {
            _http = http;
            _hub = hub;
            _write = n => write(this, n);
            _keyOf = keyOf;
            _entriesOf = entriesOf;
            _hub.On<JsonElement>("changed", message =>
            {
                // The arrival first, before any decoding.
                var at = Stopwatch.GetTimestamp();
                var seq = SeqOf(message.GetProperty("cursor").GetString()!);
                lock (_heardSeqs)
                {
                    _heardSeqs.Add(Math.Max(seq, _heardSeqs.Count == 0 ? 0 : _heardSeqs[^1]));
                    _heardAt.Add(at);
                }
            });
        }

        public long HighestHeard
        {
            get { lock (_heardSeqs) return _heardSeqs.Count == 0 ? 0 : _heardSeqs[^1]; }
        }

        /// <summary>A copy of what was heard so far: the highest entry number heard by each arrival, and the arrival's timestamp.</summary>
        public (List<long> Seqs, List<long> Times) Arrivals()
        {
            lock (_heardSeqs) return ([.. _heardSeqs], [.. _heardAt]);
        }

        /// <summary>The journal entry of each write, by its key; and how many entries told nothing new.</summary>
        public Task<(long[] Seqs, int Retold)> EntriesOfAsync(IReadOnlyList<long> keys) => _entriesOf(keys);

        /// <summary>
        /// A Kanbatte user owning project PWnn with one task, whose writes rename the task and move it, alternately. Each
        /// write makes the task's next version; which journal entry told that version is read from the journal itself
        /// (the server's own file, read-only, between runs), not counted: the entries are not always one per write.
        /// </summary>
        public static async Task<Writer> KanbatteAsync(ChildProcess server, string database, int index)
        {
            var user = $"push-writer-{index:00}";
            var token = TestTokens.Mint(user, $"Push writer {index}", admin: false);
            var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.WithToken(token);
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, "api/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            var key = $"PW{index:00}";
            var journal = new TaskJournal(database, key);
            string? taskId = null;
            var writer = new Writer(http, hub,
                (w, n) => w._http.PatchJsonAsync($"api/tasks/{taskId}",
                    n % 2 == 0 ? new { title = $"Push {taskId} #{n}" } : (object)new { status = Statuses[(n / 2) % Statuses.Length] }),
                async (response, _) => (await response.JsonAsync()).GetProperty("version").GetInt64(),
                journal.EntriesOfAsync);
            await hub.StartAsync();
            (await http.PostJsonAsync("api/projects", new { key, name = $"Push {index}" })).EnsureSuccessStatusCode();
            var created = await http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Pushed about" });
            created.EnsureSuccessStatusCode();
            taskId = (await created.JsonAsync()).GetProperty("id").GetString();
            return writer;
        }

        /// <summary>A baseline user: its n-th write asks the baseline to send it entry n + 3 (as if after a project and a task).</summary>
        public static async Task<Writer> BaselineAsync(ChildProcess server, int index)
        {
            var user = $"PW{index:00}";
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, $"api/hub?user={user}"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestTokens.Default))
                .Build();
            // The same kind of body and the same bearer header as Kanbatte's writes, ignored here, so both read about the same bytes.
            var writer = new Writer(new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.WithToken(), hub,
                (w, n) => w._http.PostJsonAsync($"write/{user}?seq={n + 3}", n % 2 == 0 ? new { title = $"Push {user}-001 #{n}" } : (object)new { status = "in_progress" }),
                (_, n) => Task.FromResult(n + 3),
                keys => Task.FromResult((keys.ToArray(), 0)));
            await hub.StartAsync();
            return writer;
        }

        /// <summary>Writes one at a time until <paramref name="duration"/> is over.</summary>
        public async Task<Run> RunAsync(TimeSpan duration)
        {
            var writes = new List<Write>();
            var errors = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await _write(_writes);
                var acknowledged = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode) { errors++; continue; }
                // Every successful write changes something (a new title, or another status than the last), so none is a no-op.
                writes.Add(new Write(await _keyOf(response, _writes), sent, acknowledged));
                _writes++;
            }
            return new Run(writes, errors);
        }

        private static long SeqOf(string cursor)
        {
            var payload = Base64Url.DecodeFromChars(cursor.AsSpan(0, cursor.IndexOf('.')));
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.GetProperty("s").GetInt64();
        }

        public async ValueTask DisposeAsync()
        {
            await _hub.DisposeAsync();
            _http.Dispose();
        }
    }

    /// <summary>
    /// A project's changes journal as the server wrote it (the <c>changes</c> table of its SQLite file), read as far as
    /// it goes: for each entry, the highest version of the project's task told so far. A write that made version v is
    /// told first by the first entry reaching v.
    /// </summary>
    private sealed class TaskJournal(string database, string projectKey)
    {
        private readonly List<long> _seqs = [];
        private readonly List<long> _highestVersion = [];

        public async Task<(long[], int)> EntriesOfAsync(IReadOnlyList<long> versions)
        {
            var retold = 0;
            await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT seq, changes FROM changes WHERE project_key = $k AND seq > $after ORDER BY seq";
                command.Parameters.AddWithValue("$k", projectKey);
                command.Parameters.AddWithValue("$after", _seqs.Count == 0 ? 0 : _seqs[^1]);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    using var changes = JsonDocument.Parse(reader.GetString(1));
                    var told = changes.RootElement.EnumerateArray()
                        .Where(c => c.GetProperty("entity").GetString() == "task")
                        .Select(c => c.GetProperty("version").GetInt64()).DefaultIfEmpty(0).Max();
                    var before = _highestVersion.Count == 0 ? 0 : _highestVersion[^1];
                    if (told <= before && before > 0) retold++;
                    _seqs.Add(reader.GetInt64(0));
                    _highestVersion.Add(Math.Max(told, before));
                }
            }
            var seqs = versions.Select(v =>
            {
                var index = _highestVersion.BinarySearch(v);
                if (index < 0) index = ~index;
                else while (index > 0 && _highestVersion[index - 1] >= v) index--;
                // Not in the journal: no message can cover it, so it counts as missing.
                return index == _seqs.Count ? long.MaxValue : _seqs[index];
            }).ToArray();
            return (seqs, retold);
        }
    }
}
