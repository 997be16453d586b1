using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

public sealed class SqliteCounterStore(SqliteDatabase db) : ICounterStore
{
    /// <summary>From memory: the number is written with the group commit of the write that uses it (<see cref="SqliteCounters"/>).</summary>
    public Task<int> NextAsync(string projectKey, string counter, CancellationToken ct = default) =>
        Task.FromResult(checked((int)db.Counters.Next(projectKey, counter)));

    /// <summary>The counter's next value, in the write <paramref name="session"/> is in (the changes journal numbers its entries so).</summary>
    internal static async Task<long> NextAsync(SqliteSession session, string projectKey, string counter, CancellationToken ct)
    {
        var command = session.Command("""
            INSERT INTO counters (project_key, name, value) VALUES ($k, $n, 1)
            ON CONFLICT (project_key, name) DO UPDATE SET value = value + 1
            RETURNING value
            """);
        command.Parameters.AddWithValue("$k", projectKey);
        command.Parameters.AddWithValue("$n", counter);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
