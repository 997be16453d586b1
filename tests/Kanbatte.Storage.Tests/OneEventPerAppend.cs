using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// TEST ONLY, and only because the test server cannot run a TransactionalBatch (it cannot parse the .NET SDK's binary
/// batch): a multi-event append, which the store does in one batch and no command does, is sent as single-event appends
/// through the real store. The batch path itself runs in <c>CosmosEmulatorTests</c> against a real emulator.
/// </summary>
public sealed class OneEventPerAppend(CosmosEventStore inner) : IEventStore
{
    public async Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        EventStoreGuards.CheckAppend(streamId, expectedVersion, events);
        long position = 0;
        for (var i = 0; i < events.Count; i++) position = await inner.AppendAsync(streamId, expectedVersion + i, [events[i]], ct);
        return position;
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default) =>
        inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);

    public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
        inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
}
