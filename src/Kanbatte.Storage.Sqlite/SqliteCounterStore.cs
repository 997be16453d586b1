using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

public sealed class SqliteCounterStore(SqliteDatabase db) : ICounterStore
{
    public Task<int> NextAsync(string projectKey, string counter, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command("""
                INSERT INTO counters (project_key, name, value) VALUES ($k, $n, 1)
                ON CONFLICT (project_key, name) DO UPDATE SET value = value + 1
                RETURNING value
                """);
            command.Parameters.AddWithValue("$k", projectKey);
            command.Parameters.AddWithValue("$n", counter);
            return Convert.ToInt32((long)(await command.ExecuteScalarAsync(ct))!);
        }, ct);
}
