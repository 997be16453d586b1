using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// Board snapshots on Cosmos DB, in each project's partition of the project log (<see cref="CosmosProjectLog"/>), so a
/// board as of a time is one query for the latest snapshot at or before it (and one for its other parts, if it has
/// any) plus one query a page for the project's events after it.
/// <para>
/// The view cannot be copied as SQLite does: two leases project at once, each at its own point of the history, so the
/// view never holds the log up to one position. A snapshot is instead the fold of the project log up to a position
/// (the <c>seq</c> of the last event folded in), taken by the change-feed projection after the copy step
/// (<see cref="CaptureAsync"/>) from the previous snapshot and the copied events after it: every
/// max(<see cref="Every"/>, tasks) of the project's events, as on SQLite, so a board as of any time folds at most that
/// many events after its snapshot and a snapshot copies at most one task per event.
/// </para>
/// <para>
/// Events arrive late and out of order across leases. Two things keep snapshots right: a snapshot covers only events
/// recorded at least <see cref="SafetyLag"/> ago, by which time the events before it have usually been copied, so
/// snapshots are seldom wasted; and, whatever the delay, an event copied after a snapshot that should have held it
/// deletes that snapshot, and a snapshot whose count of events no longer matches the project log after it was written
/// is deleted by its taker (the argument is in <see cref="CosmosProjectLog"/>). A snapshot is published only after that
/// count. Deleted snapshots are taken again from the previous valid one when the project next has enough events.
/// Snapshots are derived data: a failure to take one is logged and the projection goes on.
/// </para>
/// </summary>
public sealed class CosmosSnapshotStore : ISnapshotStore
{
    public const int DefaultEvery = 1000;
    public static readonly TimeSpan DefaultSafetyLag = TimeSpan.FromSeconds(60);

    /// <summary>Tasks per snapshot document, in UTF-8 bytes of JSON (an item may hold 2 MB): larger boards take several parts.</summary>
    public const int DefaultPartBytes = 1024 * 1024;

    /// <summary>Events read per page while folding toward a snapshot.</summary>
    public const int PageSize = 1000;

    /// <summary>
    /// How many events one capture folds before it stops at the next snapshot it publishes and hands the lease back: a
    /// project with a long history and no snapshot yet (a log not backfilled) is caught up over several batches.
    /// </summary>
    public const int DefaultEventsPerCapture = 10_000;

    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };
    private readonly CosmosProjectLog _log;
    private readonly TimeProvider _clock;
    private readonly ILogger? _logger;
    private readonly int _partBytes;
    private readonly int _eventsPerCapture;

    // Per project, the events this instance has seen since its last look at the project log, and the threshold then:
    // a hint of when to look again (each lease sees only its own events), checked against the project log before
    // anything is taken. Lost on restart, it only means looking once more.
    private readonly ConcurrentDictionary<string, (long Since, long Threshold)> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _taking = new(StringComparer.Ordinal);
    private long _taken;
    private long _discarded;

    public CosmosSnapshotStore(CosmosProjectLog log, int every, TimeSpan safetyLag, TimeProvider clock, ILogger? logger = null,
        int partBytes = DefaultPartBytes, int eventsPerCapture = DefaultEventsPerCapture)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(safetyLag, TimeSpan.Zero);
        (_log, Every, SafetyLag, _clock, _logger, _partBytes, _eventsPerCapture) = (log, every, safetyLag, clock, logger, partBytes, eventsPerCapture);
    }

    public int Every { get; }

    public TimeSpan SafetyLag { get; }

    /// <summary>Snapshots this instance published.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Snapshots this instance wrote and deleted again, because an event before them was copied meanwhile.</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    public async Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default)
    {
        var head = await HeadBeforeAsync(projectKey, CosmosEventDocument.SeqBound(at), ct);
        if (head is null || await TasksOfAsync(head, ct) is not { } tasks) return null;
        return new BoardSnapshot(projectKey, head.Seq, head.At, tasks.Select(t => t.GetRawText()).ToList());
    }

    /// <summary>
    /// The change-feed projection's step after the copy (<see cref="CosmosProjectLog.CopyAsync(IReadOnlyList{EventEnvelope}, CancellationToken)"/>):
    /// looks at the project log of each project in the batch that may be due, and takes the snapshots that are. Never
    /// throws but when cancelled: a snapshot not taken is taken later.
    /// </summary>
    public async Task CaptureAsync(IReadOnlyList<EventEnvelope> projected, CancellationToken ct = default)
    {
        foreach (var project in projected.GroupBy(e => e.ProjectKey, StringComparer.Ordinal))
        {
            // First sight of a project: look now; afterwards once this instance has seen a threshold's worth of events.
            var due = !_seen.TryGetValue(project.Key, out var seen) || seen.Since + project.Count() >= seen.Threshold;
            if (!due) _seen[project.Key] = seen with { Since = seen.Since + project.Count() };
            else await TryTakeAsync(project.Key, _eventsPerCapture, ct);
        }
    }

    /// <summary>Takes every snapshot due for a project now (the rebuild, after backfilling the project log); returns how many.</summary>
    public Task<int> CatchUpAsync(string projectKey, CancellationToken ct = default) => TryTakeAsync(projectKey, long.MaxValue, ct);

    private async Task<int> TryTakeAsync(string projectKey, long maxEvents, CancellationToken ct)
    {
        if (!_taking.TryAdd(projectKey, true)) return 0; // this instance is at it already
        try
        {
            return await TakeAsync(projectKey, maxEvents, ct);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            _logger?.LogWarning(e, "Board snapshot of {ProjectKey} failed; the project's next events make it due again", projectKey);
            _seen[projectKey] = (0, Every);
            return 0;
        }
        finally
        {
            _taking.TryRemove(projectKey, out _);
        }
    }

    private async Task<int> TakeAsync(string projectKey, long maxEvents, CancellationToken ct)
    {
        // Events recorded up to the safety lag ago; the previous snapshot; whether enough events came after it.
        var horizon = CosmosEventDocument.SeqBound(_clock.GetUtcNow() - SafetyLag);
        var previous = await HeadBeforeAsync(projectKey, horizon, ct);
        var threshold = Math.Max(Every, previous?.TaskCount ?? 0);
        var waiting = await _log.CountAsync(projectKey, previous?.Seq ?? "", horizon, ct);
        if (waiting < threshold)
        {
            _seen[projectKey] = (waiting, threshold);
            return 0;
        }
        IReadOnlyList<JsonElement> start = [];
        if (previous is not null)
        {
            if (await TasksOfAsync(previous, ct) is not { } tasks)
            {
                _seen[projectKey] = (0, threshold); // deleted while being read: look again later
                return 0;
            }
            start = tasks;
        }

        // Announced before anything is written, so that a copier arriving later sees it (see CosmosProjectLog).
        await _log.AnnounceAsync(projectKey, horizon, ct);
        var board = new BoardFold(start.Select(t => t.GetRawText()));
        var (events, since, taken, folded) = (previous?.Events ?? 0, 0L, 0, 0L);
        var after = previous?.Seq;
        do
        {
            var page = await _log.ReadAsync(projectKey, newestFirst: false, after, horizon, PageSize, ct);
            foreach (var e in page.Events)
            {
                board.Apply(e);
                (events, folded) = (events + 1, folded + 1);
                if (++since < Math.Max(Every, board.Count)) continue;
                if (!await PublishAsync(projectKey, CosmosEventDocument.SeqOf(e), e.RecordedAt, events, board, ct))
                {
                    _seen[projectKey] = (0, Math.Max(Every, board.Count));
                    return taken;
                }
                (since, taken) = (0, taken + 1);
                if (folded >= maxEvents)
                {
                    _seen[projectKey] = (0, 0); // more may be due: the project's next batch goes on from this snapshot
                    return taken;
                }
            }
            after = page.Next;
        } while (after is not null);
        _seen[projectKey] = (since, Math.Max(Every, board.Count));
        return taken;
    }

    /// <summary>
    /// Writes the snapshot at <paramref name="position"/> (parts, then the head, unpublished), counts the project's
    /// copied events up to the position, and publishes it if that is the number folded into it; else deletes it.
    /// </summary>
    private async Task<bool> PublishAsync(string projectKey, string position, DateTimeOffset at, long events, BoardFold board, CancellationToken ct)
    {
        var key = new PartitionKey(projectKey);
        var id = "snapshot-" + Guid.NewGuid().ToString("N"); // one taker's: two takers at one position never share a document
        var parts = Parts(board.Tasks.OrderBy(t => t.Number).Select(t => JsonSerializer.SerializeToElement(t, KanbatteJson.Options)));
        var ids = new List<string>();
        for (var i = 1; i < parts.Count; i++)
        {
            ids.Add($"{id}-{i}");
            await _log.Container.CreateItemAsync(new CosmosSnapshotItem(ids[^1], projectKey, CosmosSnapshotItem.PartKind, position, id, i, parts.Count, events, board.Count, at, parts[i]), key, NoContent, ct);
        }
        ids.Add(id);
        await _log.Container.CreateItemAsync(new CosmosSnapshotItem(id, projectKey, CosmosSnapshotItem.PendingKind, position, id, 0, parts.Count, events, board.Count, at, parts[0]), key, NoContent, ct);

        var copied = await _log.CountAsync(projectKey, "", position, ct);
        if (copied == events)
        {
            try
            {
                await _log.Container.PatchItemAsync<CosmosSnapshotItem>(id, key, [PatchOperation.Set("/kind", CosmosSnapshotItem.HeadKind)],
                    new PatchItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
                Interlocked.Increment(ref _taken);
                _logger?.LogDebug("Board snapshot of {ProjectKey} at {Position}: {Tasks} tasks, {Events} events", projectKey, position, board.Count, events);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // A late event deleted it already.
            }
        }
        foreach (var written in ids) await _log.DeleteAsync(projectKey, written, ct);
        Interlocked.Increment(ref _discarded);
        _logger?.LogInformation("Board snapshot of {ProjectKey} at {Position} discarded: {Copied} events copied up to it, {Folded} folded", projectKey, position, copied, events);
        return false;
    }

    private List<IReadOnlyList<JsonElement>> Parts(IEnumerable<JsonElement> tasks)
    {
        var parts = new List<IReadOnlyList<JsonElement>>();
        var part = new List<JsonElement>();
        var bytes = 0;
        foreach (var task in tasks)
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(task.GetRawText());
            if (part.Count > 0 && bytes + size > _partBytes)
            {
                parts.Add(part);
                (part, bytes) = ([], 0);
            }
            part.Add(task);
            bytes += size;
        }
        parts.Add(part); // at least the head, even for a board without tasks
        return parts;
    }

    /// <summary>The latest published snapshot positioned before <paramref name="bound"/>.</summary>
    private async Task<CosmosSnapshotItem?> HeadBeforeAsync(string projectKey, string bound, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP 1 * FROM c WHERE c.projectKey = @p AND c.kind = @kind AND c.seq < @bound ORDER BY c.seq DESC")
            .WithParameter("@p", projectKey)
            .WithParameter("@kind", CosmosSnapshotItem.HeadKind)
            .WithParameter("@bound", bound);
        return (await CosmosQueries.ReadAllAsync<CosmosSnapshotItem>(_log.Container, query, new PartitionKey(projectKey), ct)).FirstOrDefault();
    }

    /// <summary>A snapshot's tasks: the head's, then its other parts' (one query); null if a part is gone (deleted meanwhile).</summary>
    private async Task<IReadOnlyList<JsonElement>?> TasksOfAsync(CosmosSnapshotItem head, CancellationToken ct)
    {
        if (head.Parts <= 1) return head.Tasks;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.projectKey = @p AND c.kind = @kind AND c.seq = @seq")
            .WithParameter("@p", head.ProjectKey)
            .WithParameter("@kind", CosmosSnapshotItem.PartKind)
            .WithParameter("@seq", head.Seq);
        var parts = (await CosmosQueries.ReadAllAsync<CosmosSnapshotItem>(_log.Container, query, new PartitionKey(head.ProjectKey), ct))
            .Where(p => p.Snapshot == head.Id).OrderBy(p => p.Part).ToList();
        if (parts.Count != head.Parts - 1) return null;
        return head.Tasks.Concat(parts.SelectMany(p => p.Tasks)).ToList();
    }
}
