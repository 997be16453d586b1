namespace Kanbatte.Storage.Tests;

public sealed class SqliteProjectorContract() : ProjectorContract(new SqliteStoreFactory())
{
    // Only a store with a feed of its own can show it: on Cosmos DB this test would check nothing and pass.
    [Fact]
    public Task The_feed_projection_resumes_from_its_durable_checkpoint() => FeedProjectionResumesFromItsDurableCheckpointAsync();
}
