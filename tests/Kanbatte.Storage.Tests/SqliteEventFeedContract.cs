namespace Kanbatte.Storage.Tests;

public sealed class SqliteEventFeedContract() : EventFeedContract(new SqliteStoreFactory());
