namespace Kanbatte.Application;

/// <summary>One ordered feed of all events, read from a resumable position. Stores with a change feed of their own do not need it.</summary>
public interface IEventFeed
{
    Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken ct = default);
}
