namespace Kanbatte.Storage.Tests;

public sealed class SqliteEventStoreContract() : EventStoreContract(new SqliteStoreFactory());
