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
            new CosmosChangeJournal(containers, new Application.ChangesOptions(), TimeProvider.System),
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
            Owner: new DropDatabase(server, database))
        {
            CopyToProjectLog = events => new CosmosProjectLog(containers).CopyAsync(events),
            StreamSnapshots = new CosmosStreamSnapshotStore(containers),
            Idempotency = new CosmosIdempotencyStore(containers),
        };
    }

    private sealed class DropDatabase(CosmosTestServer server, string database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await server.DeleteDatabaseAsync(database);
    }
}
