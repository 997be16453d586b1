using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Tests.Cosmos;

namespace Kanbatte.Storage.Tests;

public sealed class CosmosDeadLetterStoreContract : DeadLetterStoreContract
{
    protected override async Task<(IDeadLetterStore, IAsyncDisposable)> CreateAsync()
    {
        var server = await CosmosTestServer.InstanceAsync();
        var database = CosmosTestServer.NewDatabaseName();
        var containers = new CosmosContainers(server.Client, new CosmosOptions { Database = database });
        await containers.CreateIfNotExistsAsync();
        return (new CosmosDeadLetterStore(containers), new Drop(server, database));
    }

    private sealed class Drop(CosmosTestServer server, string database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await server.DeleteDatabaseAsync(database);
    }
}
