namespace Kanbatte.Storage.Sqlite;

/// <summary>Where a store's statements run: the database's pooled readers and group-committed writer, or one open transaction.</summary>
public interface ISqliteSessions
{
    /// <summary>A session to read on; disposing it gives it back.</summary>
    SqliteSession Read();

    /// <summary>Runs <paramref name="work"/> atomically and returns once it is committed.</summary>
    Task<T> WriteAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken ct);
}
