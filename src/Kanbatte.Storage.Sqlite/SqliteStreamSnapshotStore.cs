using Kanbatte.Application;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>Stream snapshots in the <c>stream_snapshots</c> table, one row a stream: derived data, like the view.</summary>
public sealed class SqliteStreamSnapshotStore(SqliteDatabase db) : IStreamSnapshotStore
{
    public async Task<StreamSnapshot?> ReadAsync(string streamId, CancellationToken ct = default)
    {
        await using var session = db.Read();
        var command = session.Command("SELECT version, schema, state FROM stream_snapshots WHERE stream_id = $stream");
        command.Parameters.AddWithValue("$stream", streamId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new StreamSnapshot(streamId, reader.GetInt32(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    public Task WriteAsync(IReadOnlyCollection<StreamSnapshot> snapshots, CancellationToken ct = default) =>
        snapshots.Count == 0 ? Task.CompletedTask : db.WriteAsync(async session =>
        {
            var upsert = session.Command("""
                INSERT INTO stream_snapshots (stream_id, version, schema, state) VALUES ($stream, $version, $schema, $state)
                ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, schema = excluded.schema, state = excluded.state
                WHERE excluded.version > stream_snapshots.version OR excluded.schema <> stream_snapshots.schema
                """);
            var stream = upsert.Parameters.Add("$stream", SqliteType.Text);
            var version = upsert.Parameters.Add("$version", SqliteType.Integer);
            var schema = upsert.Parameters.Add("$schema", SqliteType.Text);
            var state = upsert.Parameters.Add("$state", SqliteType.Text);
            foreach (var snapshot in snapshots)
            {
                (stream.Value, version.Value, schema.Value, state.Value) = (snapshot.StreamId, snapshot.Version, snapshot.Schema, snapshot.State);
                await upsert.ExecuteNonQueryAsync(ct);
            }
            return snapshots.Count;
        }, ct);
}
