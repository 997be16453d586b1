using Kanbatte.Application;

namespace Kanbatte.Testing.RoundTrips;

public sealed class CountingEventStore(IEventStore inner, IEventFeed feed, RoundTripCounter counter) : IEventStore, IEventFeed
{
    public Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        counter.Hit("event.append");
        return inner.AppendAsync(streamId, expectedVersion, events, ct);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default)
    {
        counter.Hit("event.read-stream");
        return inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);
    }

    public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default)
    {
        counter.Hit("event.read-project");
        return inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken ct = default)
    {
        counter.Hit("event.read-feed");
        return feed.ReadAllAsync(afterPosition, maxCount, ct);
    }
}
