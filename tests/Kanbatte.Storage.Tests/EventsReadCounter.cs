using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>An event store that counts what its callers read: stream reads and their events, and project events.</summary>
internal sealed class EventsReadCounter(IEventStore inner) : IEventStore
{
    public int StreamReads { get; set; }

    public int StreamEventsRead { get; set; }

    public int ProjectEventsRead { get; set; }

    public Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default) =>
        inner.AppendAsync(streamId, expectedVersion, events, ct);

    public async Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default)
    {
        var read = await inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);
        StreamReads++;
        StreamEventsRead += read.Count;
        return read;
    }

    public async Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default)
    {
        var page = await inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
        ProjectEventsRead += page.Events.Count;
        return page;
    }
}
