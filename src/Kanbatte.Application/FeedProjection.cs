using Microsoft.Extensions.Logging;

namespace Kanbatte.Application;

/// <summary>Drives the projector from a store's own ordered feed, with a durable checkpoint (the self-hosted path), and tells clients what changed.</summary>
public sealed class FeedProjection(IEventFeed feed, ICheckpointStore checkpoints, IBatchProjection projector, ProjectionProgress progress, IChangeNotifier notifier, ILogger<FeedProjection> logger)
{
    public const string Consumer = "view";
    public const int BatchSize = 500;

    /// <summary>Projects everything appended so far; returns how many events it read.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var position = await checkpoints.GetAsync(Consumer, ct);
        var total = 0;
        while (true)
        {
            var batch = await feed.ReadAllAsync(position, BatchSize, ct);
            if (batch.Count == 0) break;
            // Appends projected in their own transaction since the checkpoint was read are in the view and the changes
            // journal already: projecting them again would only tell their entities again (as a redelivery does).
            var projected = progress.Projected;
            var fresh = batch.Where(e => e.Position > projected).ToList();
            if (fresh.Count > 0) await notifier.NotifyAsync(await projector.ProjectAsync(fresh, ct), ct);
            position = batch[^1].Position;
            // Writers waiting to read their own writes may go as soon as the view has them; the checkpoint only saves work on restart.
            progress.ReportProjected(position);
            await checkpoints.SaveAsync(Consumer, position, ct);
            total += batch.Count;
        }
        progress.ReportProjected(position);
        if (total > 0) logger.LogDebug("Projected {Count} events up to position {Position}", total, position);
        return total;
    }
}
