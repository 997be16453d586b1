namespace Kanbatte.Storage.Tests;

public sealed class SqliteStreamSnapshotContract() : StreamSnapshotContract(new SqliteStoreFactory());
