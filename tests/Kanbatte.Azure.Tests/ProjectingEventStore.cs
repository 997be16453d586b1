using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// TEST ONLY: stands in for the change feed the test server cannot serve, running on each append, as it is written, the
/// steps the change-feed projection runs (ChangeFeedProjectorService): the projector, the project log's copy, snapshots.
/// </summary>
public sealed class ProjectingEventStore(IEventStore inner, ResilientProjector projector, CosmosProjectLog projectLog, CosmosSnapshotStore snapshots) : IEventStore
{
    public async Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        var position = await inner.AppendAsync(streamId, expectedVersion, events, ct);
        await projector.ProjectAsync(events, ct);
        await projectLog.CopyAsync(events, ct);
        await snapshots.CaptureAsync(events, ct);
        return position;
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default) =>
        inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);

    public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
        inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
}
