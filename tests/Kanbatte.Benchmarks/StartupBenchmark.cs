using System.Globalization;

namespace Kanbatte.Benchmarks;

/// <summary>Process start to the first 200 from /api/health: Kanbatte's server (on a new database) next to an empty ASP.NET Core app.</summary>
public static class StartupBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        var folder = Directory.CreateTempSubdirectory("kanbatte-startup-");
        var empty = new List<double>();
        var kanbatte = new List<double>();
        try
        {
            // Alternated, so both see the same machine state; the first pair warms the disk cache and is dropped.
            for (var i = 0; i <= runs; i++)
            {
                await using (var e = await ChildProcess.StartAsync(ChildProcess.BenchmarkDll, "empty-server"))
                    if (i > 0) empty.Add(e.StartedIn.TotalMilliseconds);
                await using (var k = await ChildProcess.StartAsync(ChildProcess.ServerDll, $"--Kanbatte:Sqlite:Path={Path.Combine(folder.FullName, $"k{i}.db")}"))
                    if (i > 0) kanbatte.Add(k.StartedIn.TotalMilliseconds);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
        empty.Sort();
        kanbatte.Sort();
        var (em, km) = (empty[empty.Count / 2], kanbatte[kanbatte.Count / 2]);
        Console.WriteLine($"### Start-up to the first 200 from /api/health ({runs} runs each, median [min-max])");
        Console.WriteLine();
        Console.WriteLine("| app | median ms | range ms | ratio |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| empty ASP.NET Core app | {em:F0} | {empty[0]:F0}-{empty[^1]:F0} | 1.00 |");
        Console.WriteLine($"| Kanbatte server (new database) | {km:F0} | {kanbatte[0]:F0}-{kanbatte[^1]:F0} | {km / em:F2} |");
        Console.WriteLine();
    }
}
