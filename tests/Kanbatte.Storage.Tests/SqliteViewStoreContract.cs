namespace Kanbatte.Storage.Tests;

public sealed class SqliteViewStoreContract() : ViewStoreContract(new SqliteStoreFactory());
