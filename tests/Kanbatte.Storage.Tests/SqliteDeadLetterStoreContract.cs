using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Storage.Tests;

public sealed class SqliteDeadLetterStoreContract : DeadLetterStoreContract
{
    protected override Task<(IDeadLetterStore, IAsyncDisposable)> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-dlq-");
        var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(folder.FullName, "k.db") });
        return Task.FromResult<(IDeadLetterStore, IAsyncDisposable)>((new SqliteDeadLetterStore(db), new Cleanup(() =>
        {
            db.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        })));
    }
}
