using Microsoft.Extensions.Logging;

namespace Kanbatte.Application;

/// <summary>
/// The self-hosted server's fast path, a step inside each append's transaction: when the view has caught up with everything
/// before the append, the same <see cref="Projector"/> projects it there, and event, view documents and checkpoint commit
/// together (with the changes journal's entry), so the writer reads its own write at once and waits for nothing. A
/// transaction that commits many appends (SQLite's group commit) projects them as one batch, as the feed projection
/// does: one journal entry a project and one checkpoint for all of them. Once committed, the changed projects are
/// published to the server's <see cref="ProjectNotifications"/>. Otherwise (the view behind after a restart, an event the
/// projector cannot apply) the events are left to the feed projection, which parks what keeps failing.
/// </summary>
/// <param name="states">The write pipeline's cache of stream states: a task's state there at the version the view holds is
/// projected on without reading its document back.</param>
public sealed class InlineProjection(ProjectionProgress progress, ProjectNotifications notifications, StreamStateCache states, TimeProvider clock, ILogger<InlineProjection> logger) : IInTransactionStep
{
    public async Task<Action?> RunAsync(IAppendTransaction transaction, IReadOnlyList<EventEnvelope> appended, CancellationToken ct)
    {
        // Only events that follow the checkpoint without a gap: ones appended between them without this step are the feed's.
        var checkpoint = await transaction.Checkpoints.GetAsync(FeedProjection.Consumer, ct);
        if (appended[0].Position != checkpoint + 1 || appended[^1].Position != checkpoint + appended.Count) return null;
        IReadOnlyList<ProjectChanged> changed = [];
        try
        {
            await transaction.IsolatedAsync(async () =>
            {
                // Right after the checkpoint and appended in this transaction: never delivered before.
                changed = await new Projector(transaction.View, transaction.Events, transaction.Changes, clock).ProjectNextAsync(appended, states, ct);
                await transaction.Checkpoints.SaveAsync(FeedProjection.Consumer, appended[^1].Position, ct);
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The append stands; the feed projection will try these events again and park them if they keep failing.
            logger.LogWarning(e, "Inline projection of {Count} events from position {Position} failed; left to the feed projection", appended.Count, appended[0].Position);
            return null;
        }
        var position = appended[^1].Position;
        // Readers and clients are told only once the transaction has committed: before that, the view's new rows are not theirs to see.
        return () =>
        {
            progress.ReportProjected(position);
            notifications.Publish(changed);
        };
    }
}
