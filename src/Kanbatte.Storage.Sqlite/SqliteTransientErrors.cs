using Kanbatte.Application;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>SQLite's transient errors: the file is busy or locked by another writer (another process on the same file).</summary>
public sealed class SqliteTransientErrors : ITransientErrorPolicy
{
    public bool IsTransient(Exception e) =>
        e is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
        || e is TimeoutException;
}
