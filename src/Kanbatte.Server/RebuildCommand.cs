using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// <c>Kanbatte.Server rebuild</c>: rebuilds the view from the log into a new table and swaps it in atomically, on the
/// database the server would use (same settings). A server running on that file keeps answering reads throughout.
/// </summary>
public static class RebuildCommand
{
    public const string Name = "rebuild";

    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output, CancellationToken ct = default)
    {
        if (!(configuration["Kanbatte:Store"] ?? "Sqlite").Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            // The Cosmos DB view is rebuilt by its own deployment's tooling; this command swaps SQLite tables.
            output.WriteLine("rebuild works on the embedded SQLite store only (Kanbatte:Store=Sqlite).");
            return 2;
        }
        var options = configuration.GetSection("Kanbatte:Sqlite").Get<SqliteOptions>() ?? new SqliteOptions();
        using var db = new SqliteDatabase(options);
        output.WriteLine($"Rebuilding the view of {db.Path} from its event log...");
        var reported = 0L;
        var progress = new Progress<long>(n =>
        {
            // Progress about every 100,000 events, so a long rebuild shows it is alive without flooding the console.
            if (n / 100_000 > reported / 100_000) output.WriteLine($"  {n:N0} events projected");
            reported = n;
        });
        var result = await new SqliteViewRebuild(db, new SqliteEventStore(db)).RunAsync(progress, ct);
        var rate = result.Elapsed.TotalSeconds > 0 ? result.Events / result.Elapsed.TotalSeconds : 0;
        output.WriteLine($"Rebuilt the view from {result.Events:N0} events up to position {result.Position} in {result.Elapsed.TotalSeconds:F1} s ({rate:N0} events/s); swapped in (attempt {result.SwapAttempts}), checkpoint at {result.Position}.");
        return 0;
    }
}
