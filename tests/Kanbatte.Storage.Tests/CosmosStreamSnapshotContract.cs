namespace Kanbatte.Storage.Tests;

// Stream snapshots in the project log container, over the Cosmos-protocol test server (tests/cosmos-server).
public sealed class CosmosStreamSnapshotContract() : StreamSnapshotContract(new CosmosStoreFactory());
