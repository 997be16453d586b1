namespace Kanbatte.Storage.Tests;

public sealed class SqliteProjectorContract() : ProjectorContract(new SqliteStoreFactory());
