using System.Globalization;
using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

/// <summary>Parked events in the <c>dead_letter</c> table, the whole envelope kept as JSON.</summary>
public sealed class SqliteDeadLetterStore(SqliteDatabase db) : IDeadLetterStore
{
    public Task ParkAsync(EventEnvelope e, string error, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command("""
                INSERT INTO dead_letter (stream_id, version, event, error, parked_at, attempts) VALUES ($s, $v, $e, $error, $at, 1)
                ON CONFLICT (stream_id, version) DO UPDATE SET error = excluded.error, parked_at = excluded.parked_at, attempts = attempts + 1
                """);
            command.Parameters.AddWithValue("$s", e.StreamId);
            command.Parameters.AddWithValue("$v", e.Version);
            command.Parameters.AddWithValue("$e", KanbatteJson.Serialize(e));
            command.Parameters.AddWithValue("$error", error);
            command.Parameters.AddWithValue("$at", KanbatteJson.Format(at));
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, DeadLetterKey? after = null, CancellationToken ct = default)
    {
        await using var session = db.Read();
        // The row value comparison walks the primary key (stream_id, version) from the position given.
        var command = session.Command(after is null
            ? "SELECT event, error, parked_at, attempts FROM dead_letter ORDER BY stream_id, version LIMIT $limit"
            : "SELECT event, error, parked_at, attempts FROM dead_letter WHERE (stream_id, version) > ($s, $v) ORDER BY stream_id, version LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        if (after is not null)
        {
            command.Parameters.AddWithValue("$s", after.StreamId);
            command.Parameters.AddWithValue("$v", after.Version);
        }
        var parked = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            parked.Add(new DeadLetter(
                KanbatteJson.Deserialize<EventEnvelope>(reader.GetString(0)),
                reader.GetString(1),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                reader.GetInt32(3)));
        }
        return parked;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var session = db.Read();
        var command = session.Command("SELECT COUNT(*) FROM dead_letter");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public Task RemoveAsync(string streamId, int version, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command("DELETE FROM dead_letter WHERE stream_id = $s AND version = $v");
            command.Parameters.AddWithValue("$s", streamId);
            command.Parameters.AddWithValue("$v", version);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
}
