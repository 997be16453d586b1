using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Storage.Tests;

public sealed class SqliteStoreFactory : IStoreFactory
{
    public Task<StoreUnderTest> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-store-");
        var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(folder.FullName, "kanbatte.db") });
        var events = new SqliteEventStore(db);
        var spareViews = new List<SqliteDatabase>();
        return Task.FromResult(new StoreUnderTest(
            events, new SqliteViewStore(db), new SqliteCounterStore(db), new SqliteChangeJournal(db), events, new SqliteCheckpointStore(db),
            NewView: () =>
            {
                // A second database file holding only a view: the target of a rebuild to compare with.
                var other = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(folder.FullName, $"view-{spareViews.Count}.db") });
                spareViews.Add(other);
                return new SqliteViewStore(other);
            },
            Owner: new Cleanup(() =>
            {
                db.Dispose();
                spareViews.ForEach(v => v.Dispose());
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
            }))
        {
            StreamSnapshots = new SqliteStreamSnapshotStore(db),
            Idempotency = new SqliteIdempotencyStore(db),
        });
    }
}
