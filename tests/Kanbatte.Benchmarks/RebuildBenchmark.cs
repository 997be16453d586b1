using System.Diagnostics;
using System.Globalization;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Benchmarks;

/// <summary>
/// The rebuild command on logs of 10,000, 100,000 and 1,000,000 events generated through the domain (deciders and
/// codec, appended through the event store): wall time, events/s and the rebuild process's peak resident memory.
/// </summary>
public static class RebuildBenchmark
{
    private const int EventsPerTask = 10;
    private const int TasksPerProject = 100;
    private static readonly EventMetadata Meta = new("rebuild-benchmark");

    public static async Task RunAsync(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000, 100_000, 1_000_000];
        Console.WriteLine("### Rebuild of the view from the log (`Kanbatte.Server rebuild`, a process of its own)");
        Console.WriteLine();
        Console.WriteLine("| events | generate s | rebuild s | events/s | peak memory MiB | database + WAL MiB |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var folder = Directory.CreateTempSubdirectory("kanbatte-rebuild-bench-");
            try
            {
                var path = Path.Combine(folder.FullName, "k.db");
                var generate = Stopwatch.StartNew();
                var events = await GenerateAsync(path, size);
                generate.Stop();
                var (elapsed, peak) = await RebuildAsync(path);
                var megabytes = new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1048576.0;
                Console.WriteLine($"| {events:N0} | {generate.Elapsed.TotalSeconds:F1} | {elapsed.TotalSeconds:F1} | {events / elapsed.TotalSeconds:N0} | {peak:F0} | {megabytes:F0} |");
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
            }
        }
        Console.WriteLine();
    }

    /// <summary>
    /// Projects of 100 tasks; each task a stream of 10 events (created with a description, renamed, moved through the
    /// statuses, commented on), decided against its folded state and appended in one transaction per task.
    /// </summary>
    private static async Task<long> GenerateAsync(string path, int size)
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = path });
        var store = new SqliteEventStore(db);
        var now = DateTimeOffset.UtcNow;
        var tasks = Math.Max(1, size / EventsPerTask);
        long total = 0;
        ProjectState? project = null;
        var comments = 0;
        for (var t = 0; t < tasks; t++)
        {
            if (t % TasksPerProject == 0)
            {
                var key = "P" + (t / TasksPerProject).ToString("D6", CultureInfo.InvariantCulture);
                var created = ProjectDecider.Create(null, new CreateProject(key, $"Project {key}", "A project generated for the rebuild benchmark.", "https://example.org/repo"), new UserRef("owner", "Owner"));
                var envelope = EventCodec.Encode(StreamIds.Project(key), 1, created, now, Meta);
                await store.AppendAsync(envelope.StreamId, 0, [envelope]);
                project = EventCodec.FoldProject([envelope]);
                comments = 0;
                total++;
            }
            var number = t % TasksPerProject + 1;
            var taskCreated = TaskDecider.Create(project, project!.Key, number, new CreateTask($"Generated task {t} with a realistic title", Description(t), null), Ranks.Bottom(now.AddTicks(t)));
            var stream = StreamIds.Task(((TaskCreated)taskCreated).Id);
            var envelopes = new List<EventEnvelope> { EventCodec.Encode(stream, 1, taskCreated, now, Meta) };
            var state = EventCodec.FoldTask(envelopes);
            for (var v = 2; v <= EventsPerTask && total + envelopes.Count < size; v++)
            {
                IDomainEvent e = (v % 3) switch
                {
                    0 => TaskDecider.Comment(state, state!.Id, ++comments, new AddComment($"Comment {v} on {state.Id}: a remark of a sentence or two, as people write them."), new UserRef("ann", "Ann")),
                    1 => TaskDecider.Change(state, state!.Id, new ChangeTask($"Renamed task {t} v{v}", null, null))[0],
                    _ => TaskDecider.Change(state, state!.Id, new ChangeTask(null, null, Statuses.All[v % 5] == state.Status ? Statuses.All[(v + 1) % 5] : Statuses.All[v % 5]))[0],
                };
                var next = EventCodec.Encode(stream, v, e, now, Meta);
                envelopes.Add(next);
                state = EventCodec.FoldTask([next], state);
            }
            await store.AppendAsync(stream, 0, envelopes);
            total += envelopes.Count;
            if (total >= size) break;
        }
        return total;
    }

    private static string Description(int t) =>
        $"Task {t}: " + string.Concat(Enumerable.Repeat("Investigate the behaviour, write down findings, agree on next steps. ", 4));

    /// <summary>Runs the real command and samples its peak resident memory until it exits.</summary>
    private static async Task<(TimeSpan Elapsed, double PeakMiB)> RebuildAsync(string path)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ChildProcess.ServerDll);
        start.ArgumentList.Add("rebuild");
        start.ArgumentList.Add($"--Kanbatte:Sqlite:Path={path}");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        double peak = 0;
        while (!process.HasExited)
        {
            if (ChildProcess.PeakMemoryMiB(process.Id) is { } p) peak = Math.Max(peak, p);
            await Task.Delay(20);
        }
        await process.WaitForExitAsync();
        clock.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rebuild failed: {await output}{await errors}");
        return (clock.Elapsed, peak);
    }
}
