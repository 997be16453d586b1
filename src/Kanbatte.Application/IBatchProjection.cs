namespace Kanbatte.Application;

/// <summary>Applies a batch of events to the view.</summary>
public interface IBatchProjection
{
    Task ProjectAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default);
}
