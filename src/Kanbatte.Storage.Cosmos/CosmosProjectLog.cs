using System.Net;
using System.Text;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// The project log: each project's copy of its events, in the <c>project_log</c> container partitioned by project, so a
/// project's activity page or its events after a board snapshot are one single-partition query, however many physical
/// partitions the account has. The event log stays partitioned by stream (a write's concurrency check is a create in
/// the stream's partition); the change-feed projection copies each delivered event here (<see cref="CopyAsync"/>),
/// under the id it has in the log, so a redelivered event writes nothing new. The copy lags the log as the view does.
/// The same partition holds the project's board snapshots (<see cref="CosmosSnapshotStore"/>) and its snapshot frontier.
/// <para>
/// Why a copy rather than a hierarchical partition key on the log (<c>/projectKey</c>, <c>/streamId</c>): that would
/// need a new event log container (a partition key cannot change) and a move of every deployment's log, and the
/// Cosmos-protocol test server the tests run on has no hierarchical keys. The copy costs one more create per event
/// (estimated in docs/performance.md) and the rebuild command backfills it from the log.
/// </para>
/// <para>
/// <b>Late events and snapshots.</b> A board snapshot at position P is the fold of every project event whose <c>seq</c>
/// is at most P. Events reach the projection late and out of order across leases, so an event at or before P may be
/// copied after a snapshot at P was taken; such an event deletes every snapshot after it. The copy and the snapshot
/// race without a lock, and the argument that a wrong snapshot never survives rests only on what Cosmos DB guarantees
/// in one logical partition: writes are ordered (by the partition's log sequence number), and a client reads at least
/// what it has written or read before (session consistency, read-your-writes: the account's default consistency must be
/// Session or stronger, as infra/ sets it, and one client does all of an instance's work). The copier writes the copy,
/// then reads the frontier document: if the frontier, the highest position any snapshot taker has announced, is after
/// the event, it deletes the snapshots after the event. A taker announces its bound in the frontier before it writes a
/// snapshot, and after writing it counts the project's copies up to the snapshot's position: if there are more than it
/// folded, an event arrived meanwhile, and it deletes its snapshot. Either the copy comes before the taker's snapshot
/// writes in the partition's order, and then the taker's count (made after those writes) sees it; or it comes after
/// them, so after the announcement too, and the copier's frontier read and snapshot query (made after its copy) see
/// both. A snapshot is published (kind <c>snapshot</c>) only after that count, so readers never see an unchecked one; a
/// late event's own projection step (copy, then delete) is the only moment a board as of a later time can still miss
/// it, as it misses any event not yet projected.
/// </para>
/// </summary>
public sealed class CosmosProjectLog(CosmosContainers containers, ILogger<CosmosProjectLog>? logger = null)
{
    /// <summary>Copies made at once within a batch (the batch's order does not matter to the copies).</summary>
    public const int CopyParallelism = 8;

    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };
    private long _invalidated;

    internal Container Container => containers.ProjectLog;

    /// <summary>Snapshot documents this instance deleted because an event at or before them arrived late.</summary>
    public long SnapshotDocumentsInvalidated => Interlocked.Read(ref _invalidated);

    /// <summary>
    /// The change-feed projection's step after the projector: copies each event into its project's partition (an event
    /// copied already is left as it is), then deletes the project's snapshots the batch's events came too late for.
    /// Store errors propagate, so the batch is delivered again.
    /// </summary>
    public Task<int> CopyAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default) => CopyAsync(batch, duplicatesInvalidate: true, ct);

    /// <param name="duplicatesInvalidate">
    /// False for the rebuild's backfill: an event copied already was copied by a live projection, which checks the
    /// snapshots itself (and, stopped before it did, is delivered the event again and checks then). The live path
    /// checks for duplicates too, since its redelivery may be that second chance.
    /// </param>
    /// <returns>How many copies were created (not there before).</returns>
    public async Task<int> CopyAsync(IReadOnlyList<EventEnvelope> batch, bool duplicatesInvalidate, CancellationToken ct = default)
    {
        var created = 0;
        foreach (var project in batch.GroupBy(e => e.ProjectKey, StringComparer.Ordinal))
        {
            var key = new PartitionKey(project.Key);
            var items = project.Select(CosmosProjectEventItem.From).ToList();
            var isNew = new bool[items.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = CopyParallelism, CancellationToken = ct }, async (i, token) =>
            {
                try
                {
                    await Container.CreateItemAsync(items[i], key, NoContent, token);
                    isNew[i] = true;
                }
                catch (CosmosException conflict) when (conflict.StatusCode == HttpStatusCode.Conflict)
                {
                    // Copied already (a redelivery, or the rebuild and the live projection both).
                }
            });
            created += isNew.Count(n => n);
            // After the copies, in this client's session: the frontier read sees every announcement made before them.
            var checkFrom = items.Where((_, i) => isNew[i] || duplicatesInvalidate).Select(d => d.Seq).Min(StringComparer.Ordinal);
            if (checkFrom is not null) await InvalidateAfterAsync(project.Key, checkFrom, ct);
        }
        return created;
    }

    /// <summary>Deletes the project's snapshots after <paramref name="seq"/>, if any snapshot was ever announced past it.</summary>
    private async Task InvalidateAfterAsync(string projectKey, string seq, CancellationToken ct)
    {
        var (frontier, _) = await ReadFrontierAsync(projectKey, ct);
        if (frontier is null || string.CompareOrdinal(frontier.Frontier, seq) <= 0) return;
        var deleted = await DeleteSnapshotsAfterAsync(projectKey, seq, ct);
        if (deleted > 0)
        {
            Interlocked.Add(ref _invalidated, deleted);
            logger?.LogInformation("An event of {ProjectKey} at {Seq} arrived after board snapshots covering it: deleted {Count} snapshot documents", projectKey, seq, deleted);
        }
    }

    /// <summary>Every snapshot document (published, pending or part) positioned after <paramref name="seq"/>.</summary>
    internal async Task<int> DeleteSnapshotsAfterAsync(string projectKey, string seq, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.projectKey = @p AND c.kind IN (@head, @pending, @part) AND c.seq > @seq")
            .WithParameter("@p", projectKey)
            .WithParameter("@head", CosmosSnapshotItem.HeadKind)
            .WithParameter("@pending", CosmosSnapshotItem.PendingKind)
            .WithParameter("@part", CosmosSnapshotItem.PartKind)
            .WithParameter("@seq", seq);
        var ids = await CosmosQueries.ReadAllAsync<string>(Container, query, new PartitionKey(projectKey), ct);
        foreach (var id in ids) await DeleteAsync(projectKey, id, ct);
        return ids.Count;
    }

    internal async Task DeleteAsync(string projectKey, string id, CancellationToken ct)
    {
        using var response = await Container.DeleteItemStreamAsync(id, new PartitionKey(projectKey), cancellationToken: ct);
        if (response.StatusCode != HttpStatusCode.NotFound) response.EnsureSuccessStatusCode();
    }

    internal async Task<(CosmosSnapshotFrontier? Frontier, string? ETag)> ReadFrontierAsync(string projectKey, CancellationToken ct)
    {
        try
        {
            var read = await Container.ReadItemAsync<CosmosSnapshotFrontier>(CosmosSnapshotFrontier.FrontierId, new PartitionKey(projectKey), cancellationToken: ct);
            return (read.Resource, read.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// Makes the project's frontier at least <paramref name="bound"/> before a snapshot up to it is taken (see the class
    /// summary): read, then created or replaced with If-Match, again until it holds the bound or more.
    /// </summary>
    internal async Task AnnounceAsync(string projectKey, string bound, CancellationToken ct)
    {
        var key = new PartitionKey(projectKey);
        while (true)
        {
            var (frontier, etag) = await ReadFrontierAsync(projectKey, ct);
            if (frontier is not null && string.CompareOrdinal(frontier.Frontier, bound) >= 0) return;
            try
            {
                var next = new CosmosSnapshotFrontier(CosmosSnapshotFrontier.FrontierId, projectKey, CosmosSnapshotFrontier.FrontierKind, bound);
                if (frontier is null) await Container.CreateItemAsync(next, key, NoContent, ct);
                else await Container.ReplaceItemAsync(next, next.Id, key, new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, ct);
                return;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
            {
                // Another taker announced meanwhile: look again.
            }
        }
    }

    /// <summary>
    /// One page of the project's copied events in <c>seq</c> order (or newest first), one single-partition query: after
    /// the position <paramref name="after"/> (a previous page's <see cref="EventPage.Next"/> or a snapshot's position),
    /// before the bound <paramref name="before"/> when given.
    /// </summary>
    public async Task<EventPage> ReadAsync(string projectKey, bool newestFirst, string? after, string? before, int maxCount, CancellationToken ct = default)
    {
        var sql = new StringBuilder("SELECT TOP @max * FROM c WHERE c.projectKey = @p AND c.kind = @kind");
        var parameters = new List<(string, object)> { ("@max", maxCount + 1), ("@p", projectKey), ("@kind", CosmosProjectEventItem.EventKind) };
        if (after is not null)
        {
            sql.Append(newestFirst ? " AND c.seq < @after" : " AND c.seq > @after");
            parameters.Add(("@after", after));
        }
        if (before is not null)
        {
            sql.Append(" AND c.seq < @before");
            parameters.Add(("@before", before));
        }
        sql.Append(newestFirst ? " ORDER BY c.seq DESC" : " ORDER BY c.seq");
        var query = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters) query = query.WithParameter(name, value);
        var found = await CosmosQueries.ReadAllAsync<CosmosProjectEventItem>(Container, query, new PartitionKey(projectKey), ct);
        var events = found.Take(maxCount).Select(d => d.ToEnvelope()).ToList();
        return new EventPage(events, found.Count > maxCount ? found[maxCount - 1].Seq : null);
    }

    /// <summary>How many of the project's events are copied with a <c>seq</c> after <paramref name="after"/> and at most <paramref name="through"/>.</summary>
    public async Task<long> CountAsync(string projectKey, string after, string through, CancellationToken ct = default)
    {
        var query = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.projectKey = @p AND c.kind = @kind AND c.seq > @after AND c.seq <= @through")
            .WithParameter("@p", projectKey)
            .WithParameter("@kind", CosmosProjectEventItem.EventKind)
            .WithParameter("@after", after)
            .WithParameter("@through", through);
        return (await CosmosQueries.ReadAllAsync<long>(Container, query, new PartitionKey(projectKey), ct)).Sum();
    }
}
