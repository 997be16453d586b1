using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kanbatte.Benchmarks;

/// <summary>
/// Push latency (issue 11): from a write's 2xx to the <c>changed</c> message about it at a connected client, with 20
/// writers, each a user of its own writing to a project of its own and listening on a hub connection of its own.
/// Kanbatte's real server next to the bare SignalR baseline (<see cref="PushBaselineApp"/>), measured in the same run.
/// </summary>
public static class PushBenchmark
{
    private const int Writers = 20;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <param name="Missing">Writes no message covered within <see cref="Grace"/> after the run: not in the percentiles.</param>
    /// <param name="Errors">Writes answered with something other than a 2xx.</param>
    public sealed record Result(int Count, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double WritesPerSecond,
        double HttpP50Ms, double HttpP99Ms, int Missing, int Errors);

    /// <param name="args">[seconds] [rounds]</param>
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
        // Rounds alternate baseline and Kanbatte, so a noisy neighbour hits both sides; the summary takes medians.
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var folder = Directory.CreateTempSubdirectory("kanbatte-push-bench-");
        var results = new List<(int Round, Result Baseline, Result Kanbatte)>();
        var baselineWriters = new List<Writer>();
        var kanbatteWriters = new List<Writer>();
        try
        {
            await using var baseline = await ChildProcess.StartAsync(ChildProcess.BenchmarkDll, "push-baseline-server");
            await using var kanbatte = await ChildProcess.StartAsync(ChildProcess.ServerDll, [$"--Kanbatte:Sqlite:Path={Path.Combine(folder.FullName, "kanbatte.db")}", .. TestTokens.CommandLine]);
            for (var i = 0; i < Writers; i++)
            {
                baselineWriters.Add(await Writer.BaselineAsync(baseline, i));
                kanbatteWriters.Add(await Writer.KanbatteAsync(kanbatte, i));
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
            folder.Delete(recursive: true);
        }

        Console.WriteLine($"### Push latency (write 2xx -> `changed` at the writer's hub connection, {Writers} writers, {seconds} s per run, {rounds} rounds, server and clients on the same {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| round | server | messages | writes/s | p50 ms | p90 ms | p99 ms | max ms | write HTTP p50 / p99 ms | missing | errors |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (round, b, k) in results)
        foreach (var (name, r) in new[] { ("baseline", b), ("Kanbatte", k) })
            Console.WriteLine($"| {round} | {name} | {r.Count:N0} | {r.WritesPerSecond:N0} | {r.P50Ms:F2} | {r.P90Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F2} | " +
                $"{r.HttpP50Ms:F2} / {r.HttpP99Ms:F2} | {r.Missing} | {r.Errors} |");
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
        Console.WriteLine($"| ratio, median of the rounds' ratios | {Median(results, r => r.Kanbatte.P50Ms / r.Baseline.P50Ms):F1} | | " +
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
    /// Every writer loops for <paramref name="duration"/>; then, once the messages have come (or <see cref="Grace"/> has
    /// passed), each write's latency is the first arrival of a message covering its journal entry, minus its 2xx.
    /// </summary>
    private static async Task<Result> MeasureAsync(IReadOnlyList<Writer> writers, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var runs = await Task.WhenAll(writers.Select(w => w.RunAsync(duration)));
        var elapsed = clock.Elapsed;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Grace && writers.Zip(runs).Any(p => p.Second.Writes.Count > 0 && p.First.HighestHeard < p.Second.Writes[^1].Seq))
            await Task.Delay(20);
        // A message about an entry beyond the writer's count means the count is wrong, and so would every latency be.
        if (writers.FirstOrDefault(w => w.HighestHeard > w.Expected) is { } miscounted)
            throw new InvalidOperationException($"A writer heard entry {miscounted.HighestHeard} after counting {miscounted.Expected} writes.");

        var latencies = new List<double>();
        var http = new List<double>();
        var missing = 0;
        foreach (var (writer, run) in writers.Zip(runs))
        {
            var (seqs, times) = writer.Arrivals();
            foreach (var (seq, acknowledged, sent) in run.Writes)
            {
                http.Add(Stopwatch.GetElapsedTime(sent, acknowledged).TotalMilliseconds);
                // seqs holds the highest number heard so far at each arrival: ascending, so the first covering one is a binary search.
                var index = seqs.BinarySearch(seq);
                if (index < 0) index = ~index;
                else while (index > 0 && seqs[index - 1] >= seq) index--;
                if (index == seqs.Count) { missing++; continue; }
                // A message read before the 2xx was (both race to the client) counts as no wait at all.
                latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(acknowledged, times[index]).TotalMilliseconds));
            }
        }
        latencies.Sort();
        http.Sort();
        var count = runs.Sum(r => r.Writes.Count);
        return new Result(latencies.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.9), Percentile(latencies, 0.99),
            latencies.Count == 0 ? double.NaN : latencies[^1], count / elapsed.TotalSeconds, Percentile(http, 0.5), Percentile(http, 0.99),
            missing, runs.Sum(r => r.Errors));
    }

    /// <param name="Writes">Each acknowledged write: the journal entry number it makes, its 2xx's and its request's timestamps.</param>
    private sealed record Run(List<(long Seq, long Acknowledged, long Sent)> Writes, int Errors);

    /// <summary>One user: an HTTP client, a hub connection, and what that connection heard, in arrival order.</summary>
    private sealed class Writer : IAsyncDisposable
    {
        private static readonly string[] Statuses = ["ready", "in_progress", "review", "done", "todo"];
        private readonly HttpClient _http;
        private readonly HubConnection _hub;
        private readonly Func<Writer, long, Task<HttpResponseMessage>> _write;
        private readonly List<long> _heardSeqs = [];
        private readonly List<long> _heardAt = [];
        private long _expected;
        private long _writes;

        private Writer(HttpClient http, HubConnection hub, Func<Writer, long, Task<HttpResponseMessage>> write)
        {
            _http = http;
            _hub = hub;
            _write = write;
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

        public string? TaskId { get; private set; }

        /// <summary>The journal entry number of the writer's latest acknowledged write.</summary>
        public long Expected => _expected;

        public long HighestHeard
        {
            get { lock (_heardSeqs) return _heardSeqs.Count == 0 ? 0 : _heardSeqs[^1]; }
        }

        /// <summary>A copy of what was heard so far: the highest entry number heard by each arrival, and the arrival's timestamp.</summary>
        public (List<long> Seqs, List<long> Times) Arrivals()
        {
            lock (_heardSeqs) return ([.. _heardSeqs], [.. _heardAt]);
        }

        /// <summary>A Kanbatte user owning project PWnn with one task, whose writes rename the task and move it, alternately.</summary>
        public static async Task<Writer> KanbatteAsync(ChildProcess server, int index)
        {
            var user = $"push-writer-{index:00}";
            var token = TestTokens.Mint(user, $"Push writer {index}", admin: false);
            var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.WithToken(token);
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, "api/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            var key = $"PW{index:00}";
            var writer = new Writer(http, hub, (w, n) => w._http.PatchJsonAsync($"api/tasks/{w.TaskId}",
                n % 2 == 0 ? new { title = $"Push {w.TaskId} #{n}" } : (object)new { status = Statuses[(n / 2) % Statuses.Length] }));
            await hub.StartAsync();
            // The project's journal: its creation is entry 1, the task's creation entry 2, each write after them one more.
            (await http.PostJsonAsync("api/projects", new { key, name = $"Push {index}" })).EnsureSuccessStatusCode();
            var created = await http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Pushed about" });
            created.EnsureSuccessStatusCode();
            writer.TaskId = (await created.JsonAsync()).GetProperty("id").GetString();
            writer._expected = 2;
            return writer;
        }

        /// <summary>A baseline user: its writes ask the baseline to send it the entry number the writer counts.</summary>
        public static async Task<Writer> BaselineAsync(ChildProcess server, int index)
        {
            var user = $"PW{index:00}";
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, $"api/hub?user={user}"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestTokens.Default))
                .Build();
            // The same body and bearer header as Kanbatte's writes, ignored here, so both read about the same bytes.
            var writer = new Writer(new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.WithToken(), hub,
                (w, n) => w._http.PostJsonAsync($"write/{user}?seq={w._expected + 1}", n % 2 == 0 ? new { title = $"Push {user}-001 #{n}" } : (object)new { status = "in_progress" }));
            await hub.StartAsync();
            writer._expected = 2;
            return writer;
        }

        /// <summary>Writes one at a time until <paramref name="duration"/> is over, counting the journal entries they make.</summary>
        public async Task<Run> RunAsync(TimeSpan duration)
        {
            var writes = new List<(long, long, long)>();
            var errors = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await _write(this, _writes);
                var acknowledged = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode) { errors++; continue; }
                // Every successful write changes something (a new title, or another status), so it makes one entry.
                _writes++;
                writes.Add((++_expected, acknowledged, sent));
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
}
