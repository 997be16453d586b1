namespace Kanbatte.Storage.Tests;

public sealed class SqliteWritePipelineContract() : WritePipelineContract(new SqliteStoreFactory());
