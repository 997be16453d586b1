using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// Builds the view afresh from the event log into a new container, with the same <see cref="Projector"/> as the live
/// path, then makes it the active view (<see cref="CosmosActiveView"/>) while the old one keeps serving reads.
/// <para>
/// Cosmos DB has no global log position, so passes are bounded by the server's own modification time <c>_ts</c>
/// (seconds), read from a marker write just before each pass: pass 1 reads the whole log; pass 2 what was appended
/// since pass 1 began; then the switch; then, after every instance has picked the switch up (twice the refresh
/// interval), a last pass reads what was appended since pass 2 began: the events that live projectors may still have
/// written into the old container. Everything appended later reaches the new container through the live projector.
/// Each window starts <see cref="Overlap"/> early (replica lag, clock differences between partitions): re-reading an
/// event changes nothing, since the projector applies each stream version once and fills gaps from the log.
/// </para>
/// The new container's writes never replace a newer version of a document (the last pass runs beside the live projector).
/// <para>
/// Every pass also copies what it reads into the project log (<see cref="CosmosProjectLog"/>), which is not switched:
/// the copies are idempotent, so this backfills a deployment whose log predates the project log (or lost copies) and
/// is otherwise a read per event that finds it there. Then each project's board snapshots that are due are taken.
/// </para>
/// </summary>
public sealed class CosmosViewRebuild(CosmosContainers containers, IEventStore events, CosmosProjectLog projectLog, CosmosSnapshotStore snapshots)
{
    public const int PageSize = 1_000;
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(60);
    private const string ClockId = "kanbatte.rebuild-clock";

    public static string NewContainerName(DateTimeOffset now) => $"view-{now.UtcDateTime:yyyyMMddHHmmss}";

    /// <param name="target">The new container: created like the active one if missing (needs key or control-plane rights), and empty.</param>
    public async Task<CosmosViewRebuildResult> RunAsync(string target, Action<string>? report = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var active = containers.ActiveView;
        var previous = await active.GetAsync(ct);
        if (previous.Id == target) throw new InvalidOperationException($"'{target}' is the active view already; name a new container.");
        var view = await PrepareAsync(previous, target, ct);
        var store = new CosmosViewStore(view);
        var passes = new List<long>();
        var backfill = new Backfill();

        var since = await ServerTimeAsync(ct);
        passes.Add(await ProjectSinceAsync(store, 0, backfill, ct));
        report?.Invoke($"pass 1: {passes[^1]:N0} events (the whole log) projected into {target}");

        var pass2 = await ServerTimeAsync(ct);
        passes.Add(await ProjectSinceAsync(store, since - (long)Overlap.TotalSeconds, backfill, ct));
        report?.Invoke($"pass 2: {passes[^1]:N0} events read (appended since pass 1 began, {Overlap.TotalSeconds:0} s overlap)");

        await active.SwitchAsync(target, previous.Id, DateTimeOffset.UtcNow, ct);
        var wait = 2 * active.RefreshInterval;
        report?.Invoke($"switched the active view from {previous.Id} to {target}; waiting {wait.TotalSeconds:0.#} s for every instance to follow");
        await Task.Delay(wait, ct);

        passes.Add(await ProjectSinceAsync(store, pass2 - (long)Overlap.TotalSeconds, backfill, ct));
        report?.Invoke($"pass 3: {passes[^1]:N0} events read (appended since pass 2 began, {Overlap.TotalSeconds:0} s overlap), after the switch");
        await active.CompleteAsync(ct);
        report?.Invoke($"{target} is the view's new epoch: changes cursors from before it answer 410, and clients take the rebuilt view afresh");
        report?.Invoke($"project log: {backfill.Copied:N0} events copied that it lacked, of {backfill.Projects.Count:N0} projects");

        var taken = 0;
        foreach (var project in backfill.Projects.Order(StringComparer.Ordinal)) taken += await snapshots.CatchUpAsync(project, ct);
        report?.Invoke($"board snapshots: {taken:N0} taken (every max({snapshots.Every:N0}, tasks) events of a project, up to {snapshots.SafetyLag.TotalSeconds:0} s ago)");
        return new CosmosViewRebuildResult(previous.Id, target, passes, clock.Elapsed) { Copied = backfill.Copied, Snapshots = taken };
    }

    /// <summary>Creates the target like the active view (partition key, indexing policy) unless it exists; it must be empty.</summary>
    private async Task<Container> PrepareAsync(Container previous, string target, CancellationToken ct)
    {
        var database = containers.Client.GetDatabase(containers.Options.Database);
        var like = (await previous.ReadContainerAsync(cancellationToken: ct)).Resource;
        try
        {
            await database.CreateContainerIfNotExistsAsync(new ContainerProperties(target, like.PartitionKeyPath) { IndexingPolicy = like.IndexingPolicy }, cancellationToken: ct);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new InvalidOperationException(
                $"Creating the container '{target}' was refused ({e.StatusCode}): an identity with data-plane rights only cannot create containers. " +
                $"Create it with the management plane (az cosmosdb sql container create ... --name {target} --partition-key-path {like.PartitionKeyPath}) and run the rebuild again with --Kanbatte:Rebuild:Container={target}.", e);
        }
        var view = database.GetContainer(target);
        var key = (await view.ReadContainerAsync(cancellationToken: ct)).Resource.PartitionKeyPath;
        if (key != like.PartitionKeyPath) throw new InvalidOperationException($"'{target}' is partitioned on {key}, the view on {like.PartitionKeyPath}.");
        var documents = await CosmosQueries.ReadAllAsync<long>(view, new QueryDefinition("SELECT VALUE COUNT(1) FROM c"), null, ct);
        if (documents.Sum() > 0) throw new InvalidOperationException($"'{target}' is not empty (a rebuild that stopped part-way?): name a new container.");
        return view;
    }

    /// <summary>What the passes copied into the project log, and the projects they saw.</summary>
    private sealed class Backfill
    {
        public long Copied;
        public readonly HashSet<string> Projects = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// Projects every event the log was given at or after <paramref name="since"/> (<c>_ts</c> seconds), a page at a time,
    /// and copies it into the project log.
    /// </summary>
    private async Task<long> ProjectSinceAsync(IViewStore view, long since, Backfill backfill, CancellationToken ct)
    {
        // No changes journal: the live projector keeps it, and the rebuilt view starts a new epoch (see CompleteAsync).
        var projector = new Projector(view, events, journal: null);
        var query = new QueryDefinition("SELECT * FROM c WHERE c._ts >= @since").WithParameter("@since", since);
        using var pages = containers.EventLog.GetItemQueryIterator<CosmosEventDocument>(query, requestOptions: new QueryRequestOptions { MaxItemCount = PageSize });
        long total = 0;
        while (pages.HasMoreResults)
        {
            // Pages come partition by partition, not in version order: the projector sorts each stream's events and
            // reads any gap from the log, so an event seen late is simply skipped as already applied.
            var page = await pages.ReadNextAsync(ct);
            if (page.Count == 0) continue;
            var batch = page.Select(d => d.ToEnvelope()).ToList();
            await projector.ProjectAsync(batch, ct);
            // Copies already there were made by the live projection, which checks the snapshots itself.
            backfill.Copied += await projectLog.CopyAsync(batch, duplicatesInvalidate: false, ct);
            backfill.Projects.UnionWith(batch.Select(e => e.ProjectKey));
            total += page.Count;
        }
        return total;
    }

    /// <summary>The server's clock, as <c>_ts</c> of a marker write: the rebuild's machine may be off; the log's timestamps are the server's.</summary>
    private async Task<long> ServerTimeAsync(CancellationToken ct)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes($$"""{"id":"{{ClockId}}"}"""));
        using var response = await containers.Counters.UpsertItemStreamAsync(body, new PartitionKey(ClockId), cancellationToken: ct);
        response.EnsureSuccessStatusCode();
        using var written = await JsonDocument.ParseAsync(response.Content, cancellationToken: ct);
        return written.RootElement.GetProperty("_ts").GetInt64();
    }
}
