namespace Kanbatte.Storage.Tests;

// Over the Cosmos-protocol test server: two projector instances append to one project's journal at once.
public sealed class CosmosChangesFeedContract() : ChangesFeedContract(new CosmosStoreFactory());
