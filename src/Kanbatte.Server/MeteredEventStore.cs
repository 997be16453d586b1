using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>Counts what the store appended, after it succeeded.</summary>
public sealed class MeteredEventStore(IEventStore inner, KanbatteMetrics metrics) : IEventStore
{
    public async Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        var position = await inner.AppendAsync(streamId, expectedVersion, events, ct);
        metrics.Appended(events, position);
        return position;
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default) =>
        inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);

    public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
        inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
}
