using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// <c>Kanbatte.Server rebuild</c>: rebuilds the view from the log into a new table (SQLite) or container (Cosmos DB) and
/// switches to it atomically, on the store the server would use (same settings). Servers and function apps on that
/// store keep answering reads throughout.
/// </summary>
public static class RebuildCommand
{
    public const string Name = "rebuild";

    /// <summary>The Cosmos DB container to rebuild into (default <c>view-yyyyMMddHHmmss</c>, created like the active view).</summary>
    public const string ContainerSetting = "Kanbatte:Rebuild:Container";

    /// <param name="configureServices">Changes to the Cosmos DB services (tests: the test server's client settings).</param>
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output, Action<IServiceCollection>? configureServices = null, CancellationToken ct = default)
    {
        var store = configuration["Kanbatte:Store"] ?? "Sqlite";
        if (store.Equals("Cosmos", StringComparison.OrdinalIgnoreCase)) return await RunCosmosAsync(configuration, output, configureServices, ct);
        if (!store.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            output.WriteLine($"Kanbatte:Store must be Sqlite or Cosmos, not '{store}'.");
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

    /// <summary>The Cosmos DB view: a new container built from the log, then made the active view (<see cref="CosmosViewRebuild"/>).</summary>
    private static async Task<int> RunCosmosAsync(IConfiguration configuration, TextWriter output, Action<IServiceCollection>? configureServices, CancellationToken ct)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCosmosStore(configuration);
        configureServices?.Invoke(services);
        await using var provider = services.BuildServiceProvider();
        var containers = provider.GetRequiredService<CosmosContainers>();
        var target = configuration[ContainerSetting] ?? CosmosViewRebuild.NewContainerName(DateTimeOffset.UtcNow);
        output.WriteLine($"Rebuilding the view of Cosmos DB database {containers.Options.Database} from its event log into container {target}...");
        try
        {
            var rebuild = new CosmosViewRebuild(containers, provider.GetRequiredService<IEventStore>(),
                provider.GetRequiredService<CosmosProjectLog>(), provider.GetRequiredService<CosmosSnapshotStore>());
            var result = await rebuild.RunAsync(target, line => output.WriteLine("  " + line), ct);
            output.WriteLine($"Rebuilt the view into {result.Container} from the log in {result.Elapsed.TotalSeconds:F1} s ({string.Join(" + ", result.EventsPerPass.Select(n => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} events read); switched over from {result.Previous}, which is left as it was; {result.Copied:N0} events backfilled into the project log, {result.Snapshots:N0} board snapshots taken.");
            return 0;
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine(e.Message);
            return 1;
        }
    }
}
