using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Tests.Cosmos;

namespace Kanbatte.Storage.Tests;

/// <summary>A fresh database on the Cosmos-protocol test server per store; no feed or checkpoint (Cosmos DB has its own change feed).</summary>
public sealed class CosmosStoreFactory : IStoreFactory
{
    public async Task<StoreUnderTest> CreateAsync()
    {
        var server = await CosmosTestServer.InstanceAsync();
        var database = CosmosTestServer.NewDatabaseName();
        var containers = new CosmosContainers(server.Client, new CosmosOptions { Database = database });
        await containers.CreateIfNotExistsAsync();
        var spareViews = 0;
        return new StoreUnderTest(
            new OneEventPerAppend(new CosmosEventStore(containers)),
            new CosmosViewStore(containers),
            new CosmosCounterStore(containers),
            Feed: null,
            Checkpoints: null,
            NewView: () =>
            {
                // Another view container in the same database: the target of a rebuild to compare with.
                var options = new CosmosOptions { Database = database, ViewContainer = $"view_{++spareViews}" };
                server.Client.GetDatabase(database)
                    .CreateContainerIfNotExistsAsync(options.ViewContainer, CosmosOptions.PartitionKeys.View).GetAwaiter().GetResult();
                return new CosmosViewStore(new CosmosContainers(server.Client, options));
            },
            Owner: new DropDatabase(server, database));
    }

    private sealed class DropDatabase(CosmosTestServer server, string database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await server.DeleteDatabaseAsync(database);
    }
}

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
