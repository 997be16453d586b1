using System.Globalization;
using Kanbatte.Application;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

public sealed class SqliteIdempotencyStore(SqliteDatabase db) : IIdempotencyStore
{
    public Task<IdempotencyRecord?> TryClaimAsync(string key, string requestHash, DateTimeOffset now, Func<IdempotencyRecord, bool> isStale, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var existing = await ReadAsync(session, key, ct);
            if (existing is not null && !isStale(existing)) return existing;

            var claim = session.Command("""
                INSERT INTO idempotency (key, request_hash, claimed_at) VALUES ($key, $hash, $at)
                ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, claimed_at = excluded.claimed_at,
                    status = NULL, content_type = NULL, body = NULL, location = NULL, etag = NULL
                """);
            claim.Parameters.AddWithValue("$key", key);
            claim.Parameters.AddWithValue("$hash", requestHash);
            claim.Parameters.AddWithValue("$at", KanbatteJson.Format(now));
            await claim.ExecuteNonQueryAsync(ct);
            return (IdempotencyRecord?)null;
        }, ct);

    public Task CompleteAsync(string key, DateTimeOffset claimedAt, StoredResponse response, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command("UPDATE idempotency SET status = $status, content_type = $type, body = $body, location = $location, etag = $etag WHERE key = $key AND claimed_at = $at");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$at", KanbatteJson.Format(claimedAt));
            command.Parameters.AddWithValue("$status", response.Status);
            command.Parameters.AddWithValue("$type", response.ContentType);
            command.Parameters.AddWithValue("$body", response.Body);
            command.Parameters.AddWithValue("$location", (object?)response.Location ?? DBNull.Value);
            command.Parameters.AddWithValue("$etag", (object?)response.ETag ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task ReleaseAsync(string key, DateTimeOffset claimedAt, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command("DELETE FROM idempotency WHERE key = $key AND claimed_at = $at AND status IS NULL");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$at", KanbatteJson.Format(claimedAt));
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task PurgeAsync(DateTimeOffset before, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command("DELETE FROM idempotency WHERE claimed_at < $before");
            command.Parameters.AddWithValue("$before", KanbatteJson.Format(before));
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    private static async Task<IdempotencyRecord?> ReadAsync(SqliteSession session, string key, CancellationToken ct)
    {
        var command = session.Command("SELECT request_hash, claimed_at, status, content_type, body, location, etag FROM idempotency WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var response = reader.IsDBNull(2) ? null : new StoredResponse(
            reader.GetInt32(2), reader.GetString(3), (byte[])reader.GetValue(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
        return new IdempotencyRecord(key, reader.GetString(0),
            DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), response);
    }
}
