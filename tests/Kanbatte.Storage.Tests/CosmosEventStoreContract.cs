namespace Kanbatte.Storage.Tests;

// The store contract suite against the Cosmos DB store, over the Cosmos-protocol test server (tests/cosmos-server).
public sealed class CosmosEventStoreContract() : EventStoreContract(new CosmosStoreFactory());
