namespace Kanbatte.Application;

/// <summary>Applies a batch of events to the view.</summary>
public interface IBatchProjection
{
    /// <summary>Returns the projects whose changes journal the batch added to (for notifications; empty without a journal).</summary>
    Task<IReadOnlyList<ProjectChanged>> ProjectAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default);
}
