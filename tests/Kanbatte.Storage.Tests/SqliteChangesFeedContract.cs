namespace Kanbatte.Storage.Tests;

public sealed class SqliteChangesFeedContract() : ChangesFeedContract(new SqliteStoreFactory());
