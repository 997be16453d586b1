namespace Kanbatte.Storage.Tests;

public sealed class CosmosWritePipelineContract() : WritePipelineContract(new CosmosStoreFactory());
