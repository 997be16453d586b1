using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

public sealed class SqliteCheckpointStore(ISqliteSessions db) : ICheckpointStore
{
    public SqliteCheckpointStore(SqliteDatabase db) : this((ISqliteSessions)db) { }

    // Never moves back: the feed projection may finish a batch after the inline projection has already moved past it.
    internal const string Upsert = "INSERT INTO checkpoints (consumer, position) VALUES ($c, $p) ON CONFLICT (consumer) DO UPDATE SET position = MAX(position, excluded.position)";

    public async Task<long> GetAsync(string consumer, CancellationToken ct = default)
    {
        await using var session = db.Read();
        var command = session.Command("SELECT position FROM checkpoints WHERE consumer = $c");
        command.Parameters.AddWithValue("$c", consumer);
        return await command.ExecuteScalarAsync(ct) is long position ? position : 0;
    }

    public Task SaveAsync(string consumer, long position, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command(Upsert);
            command.Parameters.AddWithValue("$c", consumer);
            command.Parameters.AddWithValue("$p", position);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
}
