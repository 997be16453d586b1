using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kanbatte.Testing;

namespace Kanbatte.Benchmarks;

/// <summary>
/// Throughput and latency under wrk (32 connections, 2 threads) for task creation, update and read, Kanbatte's real
/// server next to the plain-CRUD baseline, measured in the same run; plus the projection lag under Kanbatte's write load.
/// </summary>
public static partial class HttpBenchmark
{
    private const int Connections = 32;
    private const int Seeded = 1000;
    private const int WarmUpSeconds = 10;

    /// <param name="CpuUsPerRequest">The server's CPU time over the run divided by the requests wrk counted (0 when not measured).</param>
    public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, double CpuUsPerRequest = 0);

    /// <param name="args">[seconds] [rounds] [--before=&lt;another build's Kanbatte.Server.dll&gt;]: with --before, that build
    /// runs too in each round (before Kanbatte in odd rounds, after it in even ones), so a change is measured against the
    /// code before it in one run.</param>
    public static async Task RunAsync(string[] args)
    {
        var before = args.FirstOrDefault(a => a.StartsWith("--before=", StringComparison.Ordinal))?["--before=".Length..];
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var seconds = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 15;
        // Rounds alternate baseline and Kanbatte per scenario, so a noisy neighbour hits both sides; the summary takes medians.
        var rounds = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 3;
        var folder = Directory.CreateTempSubdirectory("kanbatte-http-bench-");
        var scripts = WriteScripts(folder.FullName, TestTokens.Default);
        var results = new List<(int Round, string Scenario, WrkResult Baseline, WrkResult Kanbatte, WrkResult? Before)>();
        var lags = new List<double>();
        try
        {
            await using var baseline = await ChildProcess.StartAsync(ChildProcess.BenchmarkDll, "baseline-server", $"--path={Path.Combine(folder.FullName, "baseline.db")}");
            // Kanbatte checks a bearer token on every request (the test issuer's); a build from before tokens ignores the settings and the header.
            await using var kanbatte = await ChildProcess.StartAsync(ChildProcess.ServerDll, [$"--Kanbatte:Sqlite:Path={Path.Combine(folder.FullName, "kanbatte.db")}", .. TestTokens.CommandLine]);
            await using var previous = before is null ? null : await ChildProcess.StartAsync(before, [$"--Kanbatte:Sqlite:Path={Path.Combine(folder.FullName, "before.db")}", .. TestTokens.CommandLine]);
            await SeedAsync(baseline.Client, kanbatte.Client);
            if (previous is not null) await SeedAsync(null, previous.Client);

            // A warm-up of each path (JIT, connection pools, SQLite page cache), not reported. Long enough for the steady
            // state a running server is in: under a create load the JIT took 9-15 % of Kanbatte's CPU in the first 18 s
            // (tiered compilation), 0.1-1.4 % from 20 s on; the baseline has far less code to compile.
            foreach (var (scenario, method) in new[] { ("create", "POST"), ("update", "PATCH"), ("read", "GET") })
            {
                await WrkAsync(scripts[scenario], BaselineUrl(baseline, scenario), WarmUpSeconds);
                await WrkAsync(scripts[scenario], KanbatteUrl(kanbatte, scenario), WarmUpSeconds);
                if (previous is not null) await WrkAsync(scripts[scenario], KanbatteUrl(previous, scenario), WarmUpSeconds);
            }

            // Each run starts once the servers are quiet: a Kanbatte server goes on for a moment after a write load (its
            // snapshot pass, its WAL checkpoint), and the run right after it would pay for that.
            int[] servers = previous is null ? [baseline.Pid, kanbatte.Pid] : [baseline.Pid, kanbatte.Pid, previous.Pid];
            async Task<WrkResult> OnQuietAsync(string script, string url, ChildProcess server)
            {
                await QuietAsync(servers);
                var cpu = CpuOf([server.Pid]);
                var result = await WrkAsync(script, url, seconds);
                await QuietAsync(servers); // what a write load leaves to do afterwards (snapshots, checkpoints) is part of its cost
                return result with { CpuUsPerRequest = (CpuOf([server.Pid]) - cpu).TotalMicroseconds / Math.Max(1, result.Requests) };
            }
            for (var round = 1; round <= rounds; round++)
            foreach (var scenario in new[] { "create", "update", "read" })
            {
                var b = await OnQuietAsync(scripts[scenario], BaselineUrl(baseline, scenario), baseline);
                // The other build goes before Kanbatte in odd rounds and after it in even ones, so neither always follows the baseline.
                var p = previous is null || round % 2 == 0 ? null : await OnQuietAsync(scripts[scenario], KanbatteUrl(previous, scenario), previous);
                var k = await OnQuietAsync(scripts[scenario], KanbatteUrl(kanbatte, scenario), kanbatte);
                if (previous is not null && round % 2 == 0) p = await OnQuietAsync(scripts[scenario], KanbatteUrl(previous, scenario), previous);
                results.Add((round, scenario, b, k, p));
            }

            // The lag is measured in write loads of its own, after the rounds: the probe's creates and its polling are
            // requests wrk does not count, and paid for inside Kanbatte's timed runs they lowered its ratio (the baseline had none).
            foreach (var scenario in new[] { "create", "update" })
            {
                await QuietAsync(servers);
                using var probing = new CancellationTokenSource();
                var probe = ProbeLagAsync(kanbatte.Client, lags, probing.Token);
                await WrkAsync(scripts[scenario], KanbatteUrl(kanbatte, scenario), seconds);
                probing.Cancel();
                await probe;
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }

        Console.WriteLine($"### Throughput and latency (wrk, {Connections} connections, 2 threads, {seconds} s per run, {rounds} rounds, server and wrk on the same {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        var withBefore = before is not null;
        Console.WriteLine("| round | scenario | baseline req/s | Kanbatte req/s | ratio | " + (withBefore ? "before req/s | before ratio | " : "") + "baseline p50 / p99 ms | Kanbatte p50 / p99 ms | " + (withBefore ? "before p50 / p99 ms | " : "") + "server CPU µs/request (b / K" + (withBefore ? " / before" : "") + ") | errors (b / K) |");
        Console.WriteLine("|---:|---|---:|---:|---:|" + (withBefore ? "---:|---:|" : "") + "---:|---:|" + (withBefore ? "---:|" : "") + "---:|---:|");
        foreach (var (round, scenario, b, k, p) in results)
            Console.WriteLine($"| {round} | {scenario} | {b.RequestsPerSecond:N0} | {k.RequestsPerSecond:N0} | {k.RequestsPerSecond / b.RequestsPerSecond:P0} | " +
                (p is null ? "" : $"{p.RequestsPerSecond:N0} | {p.RequestsPerSecond / b.RequestsPerSecond:P0} | ") +
                $"{b.P50Ms:F2} / {b.P99Ms:F2} | {k.P50Ms:F2} / {k.P99Ms:F2} | " + (p is null ? "" : $"{p.P50Ms:F2} / {p.P99Ms:F2} | ") +
                $"{b.CpuUsPerRequest:F0} / {k.CpuUsPerRequest:F0}" + (p is null ? "" : $" / {p.CpuUsPerRequest:F0}") + $" | {b.Errors} / {k.Errors} |");
        Console.WriteLine();
        Console.WriteLine("| scenario | median ratio | lowest | highest |" + (withBefore ? " before: median ratio | lowest | highest |" : ""));
        Console.WriteLine("|---|---:|---:|---:|" + (withBefore ? "---:|---:|---:|" : ""));
        foreach (var scenario in results.GroupBy(r => r.Scenario))
        {
            var ratios = scenario.Select(r => r.Kanbatte.RequestsPerSecond / r.Baseline.RequestsPerSecond).Order().ToList();
            var previousRatios = scenario.Where(r => r.Before is not null).Select(r => r.Before!.RequestsPerSecond / r.Baseline.RequestsPerSecond).Order().ToList();
            Console.WriteLine($"| {scenario.Key} | {Percentile(ratios, 0.5):P0} | {ratios[0]:P0} | {ratios[^1]:P0} |" +
                (previousRatios.Count == 0 ? "" : $" {Percentile(previousRatios, 0.5):P0} | {previousRatios[0]:P0} | {previousRatios[^1]:P0} |"));
        }
        lags.Sort();
        Console.WriteLine();
        Console.WriteLine(lags.Count == 0 ? "No lag samples." :
            $"Projection lag under the create and update loads (write acknowledged -> visible through GET /api/tasks/{{id}}), {lags.Count} samples: " +
            $"p50 {Percentile(lags, 0.5):F2} ms, p99 {Percentile(lags, 0.99):F2} ms, max {lags[^1]:F2} ms.");
    }

    private static string BaselineUrl(ChildProcess server, string scenario) =>
        scenario == "create" ? $"{server.BaseAddress}api/items" : $"{server.BaseAddress}api/items/";

    private static string KanbatteUrl(ChildProcess server, string scenario) =>
        scenario == "create" ? $"{server.BaseAddress}api/projects/BM/tasks" : $"{server.BaseAddress}api/tasks/BM-";

    /// <summary>The same rows on both sides: 1,000 tasks to update and read.</summary>
    private static async Task SeedAsync(HttpClient? baseline, HttpClient kanbatte)
    {
        (await kanbatte.PostAsJsonAsync("api/projects", new { key = "BM", name = "Benchmark" })).EnsureSuccessStatusCode();
        await Parallel.ForEachAsync(Enumerable.Range(0, Seeded), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var body = new { title = $"Seeded task {i}", description = "A task created before the load, to be updated and read." };
            if (baseline is not null) (await baseline.PostAsJsonAsync("api/items", body, ct)).EnsureSuccessStatusCode();
            (await kanbatte.PostAsJsonAsync("api/projects/BM/tasks", body, ct)).EnsureSuccessStatusCode();
        });
    }

    /// <summary>
    /// Creates a task, then polls its view document until it is there: the time from the write's acknowledgement to its
    /// appearance in the view. One probe at a time, beside the load.
    /// </summary>
    private static async Task ProbeLagAsync(HttpClient client, List<double> lags, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var created = await client.PostAsJsonAsync("api/projects/BM/tasks", new { title = "Lag probe" }, CancellationToken.None);
            var acknowledged = Stopwatch.GetTimestamp();
            if (created.StatusCode != HttpStatusCode.Created) continue;
            var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(CancellationToken.None)).GetProperty("id").GetString();
            while ((await client.GetAsync($"api/tasks/{id}", CancellationToken.None)).StatusCode != HttpStatusCode.OK) { }
            lock (lags) lags.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static Dictionary<string, string> WriteScripts(string folder, string token)
    {
        // Each wrk thread has its own Lua state; setup() numbers the threads so generated titles never repeat
        // (an update that changes nothing appends nothing, which would flatter Kanbatte). Every request carries the
        // same bearer token, to both servers, which both validate it.
        var common = $$"""
            local threads = 0
            function setup(thread) thread:set("tid", threads); threads = threads + 1 end
            local counter = 0
            -- wrk.format replaces wrk.headers with the headers it is given, so every request builds its own.
            function headers(extra)
              local h = { ["Authorization"] = "Bearer {{token}}" }
              for k, v in pairs(extra or {}) do h[k] = v end
              return h
            end

            """;
        var scripts = new Dictionary<string, string>
        {
            ["create"] = common + """
                function request()
                  counter = counter + 1
                  local body = string.format('{"title":"Load task %d-%d","description":"Created under load by wrk, about as long as a real description."}', tid, counter)
                  return wrk.format("POST", nil, headers({ ["Content-Type"] = "application/json" }), body)
                end
                """,
            ["update"] = common + $$"""
                function request()
                  counter = counter + 1
                  local id = (counter * 7 + tid * 500) % {{Seeded}} + 1
                  local body = string.format('{"title":"Renamed %d-%d"}', tid, counter)
                  return wrk.format("PATCH", wrk.path .. string.format(pattern(), id), headers({ ["Content-Type"] = "application/json" }), body)
                end
                """,
            ["read"] = common + $$"""
                function request()
                  counter = counter + 1
                  local id = (counter * 7 + tid * 500) % {{Seeded}} + 1
                  return wrk.format("GET", wrk.path .. string.format(pattern(), id), headers())
                end
                """,
        };
        var paths = new Dictionary<string, string>();
        foreach (var (name, script) in scripts)
        {
            // Kanbatte ids are zero-padded (BM-001); baseline ids are plain numbers: the URL tells which is which.
            var path = Path.Combine(folder, name + ".lua");
            File.WriteAllText(path, "function pattern() return string.find(wrk.path, 'BM%-$') and '%03d' or '%d' end\n" + script);
            paths[name] = path;
        }
        return paths;
    }

    /// <summary>Waits, up to 10 s, until the servers together use under a tenth of a core over a quarter of a second.</summary>
    private static async Task QuietAsync(int[] pids)
    {
        var window = TimeSpan.FromMilliseconds(250);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var before = CpuOf(pids);
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(window);
            var now = CpuOf(pids);
            if (now - before < window / 10) return;
            before = now;
        }
    }

    private static TimeSpan CpuOf(int[] pids)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            using var process = Process.GetProcessById(pid);
            total += process.TotalProcessorTime;
        }
        return total;
    }

    public static async Task<WrkResult> WrkAsync(string script, string url, int seconds, int connections = Connections)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "10s", "-s", script, url })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install -y wrk).");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // wrk falls back to plain GETs when a script fails to load: that must stop the run, not measure the wrong thing.
        if (process.ExitCode != 0 || errors.Length > 0) throw new InvalidOperationException($"wrk failed: {output}{errors}");

        var rps = double.Parse(Rps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Total().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output) is { Success: true } s ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        if (non2xx + socket > 0) Console.Error.WriteLine($"wrk reported errors for {url}:{Environment.NewLine}{output}");
        return new WrkResult(rps, LatencyMs(output, "50%"), LatencyMs(output, "99%"), requests, non2xx + socket);
    }

    private static double LatencyMs(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rps();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Total();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
