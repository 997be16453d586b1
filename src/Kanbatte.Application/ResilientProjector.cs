using Microsoft.Extensions.Logging;

namespace Kanbatte.Application;

/// <summary>
/// The projector as both feeds run it. A batch is projected at once; if that fails, each event is projected on its own
/// and those that still fail are parked with their error in <see cref="IDeadLetterStore"/>, so the feed goes on.
/// Transient store errors are not parked: they propagate so the batch is delivered again.
/// A later event of a stream with a parked event fails too (the projector fills the gap from the log), so it is parked
/// behind it and the stream's view stays consistent until a re-drive applies both, each exactly once.
/// </summary>
public sealed class ResilientProjector(
    Projector projector, IDeadLetterStore deadLetters, ITransientErrorPolicy transient, TimeProvider clock, ILogger<ResilientProjector> logger)
    : IBatchProjection
{
    public const int RedrivePageSize = 100;

    public async Task<IReadOnlyList<ProjectChanged>> ProjectAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default)
    {
        try
        {
            return await projector.ProjectAsync(batch, ct);
        }
        catch (Exception e) when (IsPerEvent(e, ct))
        {
            logger.LogWarning(e, "Projecting a batch of {Count} events failed; projecting them one by one", batch.Count);
        }

        var changed = new List<ProjectChanged>();
        foreach (var envelope in batch.OrderBy(e => e.StreamId, StringComparer.Ordinal).ThenBy(e => e.Version))
        {
            try
            {
                changed.AddRange(await projector.ProjectAsync([envelope], ct));
            }
            catch (Exception e) when (IsPerEvent(e, ct))
            {
                logger.LogError(e, "Parking event {StreamId}@{Version} ({Type})", envelope.StreamId, envelope.Version, envelope.Type);
                await deadLetters.ParkAsync(envelope, Describe(e), clock.GetUtcNow(), ct);
            }
        }
        return Latest(changed);
    }

    /// <summary>One entry per project: the latest journal entry the batch reached.</summary>
    public static IReadOnlyList<ProjectChanged> Latest(IEnumerable<ProjectChanged> changed) =>
        changed.GroupBy(c => c.ProjectKey, StringComparer.Ordinal).Select(g => g.MaxBy(c => c.Seq)!).ToList();

    /// <summary>
    /// Projects parked events again, in stream and version order; those applied leave the parked set. Returns what it
    /// did and the projects whose changes journal it added to.
    /// </summary>
    public async Task<(RedriveResult Result, IReadOnlyList<ProjectChanged> Changed)> RedriveAsync(CancellationToken ct = default)
    {
        var (applied, failing) = (0, 0);
        var changed = new List<ProjectChanged>();
        // Page by page, past those that fail again (they stay parked), so none is left out however many keep failing.
        DeadLetterKey? after = null;
        while (await deadLetters.ListAsync(RedrivePageSize, after, ct) is { Count: > 0 } page)
        {
            foreach (var parked in page)
            {
                var e = parked.Event;
                try
                {
                    changed.AddRange(await projector.ProjectAsync([e], ct));
                }
                catch (Exception error) when (IsPerEvent(error, ct))
                {
                    failing++;
                    logger.LogWarning(error, "Re-drive of {StreamId}@{Version} failed again", e.StreamId, e.Version);
                    await deadLetters.ParkAsync(e, Describe(error), clock.GetUtcNow(), ct);
                    continue;
                }
                await deadLetters.RemoveAsync(e.StreamId, e.Version, ct);
                applied++;
            }
            after = new DeadLetterKey(page[^1].Event.StreamId, page[^1].Event.Version);
        }
        return (new RedriveResult(applied, failing), Latest(changed));
    }

    private bool IsPerEvent(Exception e, CancellationToken ct) =>
        !(e is OperationCanceledException && ct.IsCancellationRequested) && !transient.IsTransient(e);

    private static string Describe(Exception e) => $"{e.GetType().FullName}: {e.Message}";
}
